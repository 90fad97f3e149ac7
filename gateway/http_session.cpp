#include "gateway/http_session.hpp"

namespace kharuul::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

std::string_view session_end_name(session_end e) noexcept {
    switch (e) {
    case session_end::peer_closed:
        return "peer closed";
    case session_end::idle_timeout:
        return "idle timeout";
    case session_end::read_timeout:
        return "read timeout";
    case session_end::read_failed:
        return "read failed";
    case session_end::refused:
        return "refused";
    case session_end::write_failed:
        return "write failed";
    case session_end::closed:
        return "closed";
    case session_end::interrupted:
        return "interrupted";
    }
    return "?";
}

void cancel_pending(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().cancel(ignored);
}

void shutdown_send(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

void close_stream(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
}

namespace session_detail {

http_response plain_error(http::status status, unsigned version, std::string_view text) {
    http_response res{status, version};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = std::string(text) + "\n";
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

std::optional<http_response> answer_to_read_error(const boost::system::error_code& ec) {
    if (ec == http::error::body_limit)
        return plain_error(http::status::payload_too_large, 11, "request body too large");
    if (ec == http::error::header_limit)
        return plain_error(http::status::request_header_fields_too_large, 11, "request header too large");
    if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message &&
        ec != http::error::need_more && ec != http::error::need_buffer)
        return plain_error(http::status::bad_request, 11, "malformed request: " + ec.message());
    return std::nullopt;
}

} // namespace session_detail

// The listener's instantiation.
template asio::awaitable<session_end> serve_session<beast::tcp_stream>(beast::tcp_stream&, const http_limits&,
                                                                       const http_handler&, connection_slot&,
                                                                       const bool&, const tcp::endpoint&);

} // namespace kharuul::gateway

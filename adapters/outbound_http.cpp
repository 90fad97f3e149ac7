#include "adapters/outbound_http.hpp"

#include "adapters/charset.hpp"
#include "adapters/outbound_exchange.hpp"
#include "adapters/outbound_tls.hpp"
#include "parser/phone.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/scheme.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <memory>

namespace kharuul::adapters::outbound_http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

} // namespace

endpoint_or_problem parse_endpoint(std::string_view url, std::string_view field) {
    const std::string name(field);
    if (url.empty()) {
        return {std::nullopt, name + " is empty"};
    }
    // A NUL-terminated copy: Boost.URL 1.81 may read past the end of a view (boostorg/url#757).
    const std::string copy(url);
    const auto parsed = boost::urls::parse_absolute_uri(copy.c_str());
    if (!parsed) {
        return {std::nullopt, name + " is not an absolute URL (" + parsed.error().message() + ")"};
    }
    const auto& u = *parsed;
    if (u.scheme_id() != boost::urls::scheme::http && u.scheme_id() != boost::urls::scheme::https) {
        return {std::nullopt, name + ": the scheme '" + std::string(u.scheme()) + "' is not http or https"};
    }
    if (u.has_userinfo()) {
        return {std::nullopt, name + ": credentials in the URL are not used; set username and password"};
    }
    endpoint e;
    e.secure = u.scheme_id() == boost::urls::scheme::https;
    e.host = u.host_address();
    if (e.host.empty()) {
        return {std::nullopt, name + ": the URL names no host"};
    }
    e.port = u.has_port() && !u.port().empty() ? std::string(u.port()) : e.secure ? "443" : "80";
    unsigned long port = 0;
    const auto [end, ec] = std::from_chars(e.port.data(), e.port.data() + e.port.size(), port);
    if (ec != std::errc() || end != e.port.data() + e.port.size() || port == 0 || port > 65535) {
        return {std::nullopt, name + ": the port '" + e.port + "' is not a TCP port"};
    }
    e.host_header = std::string(u.encoded_host_and_port());
    e.path = std::string(u.encoded_path());
    if (e.path.empty()) {
        e.path = "/";
    }
    if (u.has_query()) {
        e.query = std::string(u.encoded_query());
    }
    return {std::move(e), {}};
}

// ---------------------------------------------------------------------------------------------
// The exchange

exchange_result failure_of(exchange_result::failure step, const error_code& ec) {
    exchange_result r;
    if (ec == beast::error::timeout || ec == asio::error::timed_out) {
        r.failed = exchange_result::failure::timeout;
    } else if (ec == asio::error::operation_aborted) {
        r.failed = exchange_result::failure::cancelled;
    } else {
        r.failed = step;
    }
    r.error = ec;
    return r;
}

std::string body_problem_of(const error_code& ec) {
    return ec == beast::error::timeout     ? std::string("timeout")
           : ec == http::error::body_limit ? "larger than " + std::to_string(max_answer_bytes) + " bytes"
                                           : ec.message();
}

namespace {

// A host name lookup, raced against the deadline. The lookup runs on its own coroutine so that an
// expired deadline can leave it behind: Asio's resolver calls getaddrinfo on a private thread and
// neither cancel() nor a cancellation slot ends that call early.
struct lookup_state {
    explicit lookup_state(const asio::any_io_executor& ex) : resolver(ex), finished(ex) {}
    tcp::resolver resolver;
    asio::steady_timer finished; // cancelled when the lookup completes
    bool done = false;
    error_code ec;
    tcp::resolver::results_type results;
};

asio::awaitable<void> run_lookup(std::shared_ptr<lookup_state> s, std::string host, std::string port) {
    auto [ec, results] = co_await s->resolver.async_resolve(host, port, tuple_awaitable);
    s->done = true;
    s->ec = ec;
    s->results = std::move(results);
    s->finished.cancel();
}

struct resolved {
    exchange_result::failure failed = exchange_result::failure::none;
    error_code ec;
    tcp::resolver::results_type results;
};

asio::awaitable<resolved> resolve_before(const endpoint& to, std::chrono::steady_clock::time_point deadline) {
    error_code not_ip;
    const auto address = asio::ip::make_address(to.host, not_ip);
    if (!not_ip) {
        const auto port = static_cast<unsigned short>(std::stoul(to.port)); // checked by parse_endpoint
        co_return resolved{
            exchange_result::failure::none,
            {},
            tcp::resolver::results_type::create(tcp::endpoint(address, port), to.host, to.port)};
    }
    const auto ex = co_await asio::this_coro::executor;
    auto s = std::make_shared<lookup_state>(ex);
    s->finished.expires_at(deadline);
    auto lookup = run_lookup(s, to.host, to.port);
    asio::co_spawn(ex, std::move(lookup), [](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& what) {
                spdlog::error("outbound: host lookup failed: {}", what.what());
            } catch (...) {
                spdlog::error("outbound: host lookup failed");
            }
        }
    });
    auto [wait_ec] = co_await s->finished.async_wait(tuple_awaitable);
    if (!s->done) {
        s->resolver.cancel();
        if (wait_ec == asio::error::operation_aborted) {
            co_return resolved{exchange_result::failure::cancelled, wait_ec, {}};
        }
        co_return resolved{exchange_result::failure::timeout, asio::error::timed_out, {}};
    }
    if (s->ec) {
        co_return resolved{exchange_result::failure::resolve, s->ec, {}};
    }
    co_return resolved{exchange_result::failure::none, {}, std::move(s->results)};
}

void close(beast::tcp_stream& stream) {
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
}

// The https:// half of exchange(), from the connect on: TLS with the endpoint's context, or one
// with the system's CA store made for this exchange when the endpoint came from parse_endpoint
// alone (a channel that does not call channel_endpoint still verifies).
asio::awaitable<exchange_result> exchange_over_tls(const endpoint& to, const tcp::resolver::results_type& found,
                                                   http::request<http::string_body> req,
                                                   std::chrono::steady_clock::time_point deadline) {
    std::shared_ptr<asio::ssl::context> context = to.tls;
    if (!context) {
        auto made = make_tls_context({});
        if (!made.context) {
            exchange_result r;
            r.failed = exchange_result::failure::tls;
            r.detail = std::move(made.problem);
            co_return r;
        }
        context = std::move(made.context);
    }
    tls_stream stream(co_await asio::this_coro::executor, *context);
    stream.next_layer().expires_at(deadline);
    auto [connect_ec, peer] = co_await stream.next_layer().async_connect(found, tuple_awaitable);
    if (connect_ec) {
        co_return failure_of(exchange_result::failure::connect, connect_ec);
    }
    if (auto refused = co_await tls_handshake(stream, to)) {
        close(stream.next_layer());
        co_return std::move(*refused);
    }
    exchange_result r = co_await exchange_on(stream, std::move(req), deadline);
    // Once cancelled, Asio throws at the next co_await: then the connection is only closed.
    const auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() == asio::cancellation_type::none) {
        co_await tls_shutdown(stream, deadline);
    }
    close(stream.next_layer());
    co_return r;
}

} // namespace

asio::awaitable<exchange_result> exchange(endpoint to, http::request<http::string_body> req,
                                          std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const auto ex = co_await asio::this_coro::executor;

    auto found = co_await resolve_before(to, deadline);
    if (found.failed != exchange_result::failure::none) {
        co_return failure_of(found.failed, found.ec);
    }

    req.set(http::field::host, to.host_header);
    req.keep_alive(false); // one request per connection
    req.prepare_payload();
    if (to.secure) {
        co_return co_await exchange_over_tls(to, found.results, std::move(req), deadline);
    }

    beast::tcp_stream stream(ex);
    stream.expires_at(deadline);
    auto [connect_ec, peer] = co_await stream.async_connect(found.results, tuple_awaitable);
    if (connect_ec) {
        co_return failure_of(exchange_result::failure::connect, connect_ec);
    }
    exchange_result r = co_await exchange_on(stream, std::move(req), deadline);
    close(stream);
    co_return r;
}

// ---------------------------------------------------------------------------------------------
// Wording

send_outcome retry_after_failure(const exchange_result& r) {
    send_outcome out;
    out.what = send_outcome::kind::retry;
    switch (r.failed) {
    case exchange_result::failure::none:
        out.detail = "no failure";
        break;
    case exchange_result::failure::timeout:
        out.detail = "timeout";
        break;
    case exchange_result::failure::cancelled:
        out.detail = "cancelled";
        break;
    case exchange_result::failure::resolve:
        out.detail = provider_detail("resolve: " + r.error.message());
        break;
    case exchange_result::failure::connect:
        out.detail = provider_detail("connect: " + r.error.message());
        break;
    case exchange_result::failure::tls:
        out.detail = provider_detail("tls: " + (r.detail.empty() ? r.error.message() : r.detail));
        break;
    case exchange_result::failure::write:
        out.detail = provider_detail("write: " + r.error.message());
        break;
    case exchange_result::failure::read:
        out.detail = provider_detail("read: " + r.error.message());
        break;
    }
    return out;
}

std::string describe_answer(const exchange_result& r) {
    std::string text = "HTTP " + std::to_string(r.answer.result_int());
    if (!r.body_problem.empty()) {
        text += " (answer body unreadable: " + r.body_problem + ")";
    } else if (!r.answer.body().empty()) {
        text += ": ";
        text += r.answer.body();
    }
    return provider_detail(text);
}

send_outcome outcome_of(const exchange_result& r) {
    if (r.failed != exchange_result::failure::none) {
        return retry_after_failure(r);
    }
    send_outcome out;
    out.detail = describe_answer(r);
    const unsigned status = r.answer.result_int();
    if (status >= 200 && status < 300) {
        out.what = send_outcome::kind::sent;
    } else if (status == 408 || status == 429) {
        out.what = send_outcome::kind::retry;
    } else if (status == 401 || (status == 403 && r.answer.body().find("Authorization failed") != std::string::npos)) {
        // Our credentials are wrong: a configuration problem of every message, not this
        // message's. Keep it queued (retried with back-off, the error in its history) until an
        // operator fixes the channel: failing it would lose the alert.
        out.what = send_outcome::kind::retry;
    } else if (status >= 400 && status < 500) {
        out.what = send_outcome::kind::failed;
    } else {
        out.what = send_outcome::kind::retry;
    }
    return out;
}

namespace {

bool is_digit(unsigned char c) noexcept {
    return c >= '0' && c <= '9';
}

bool is_alnum(unsigned char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Masks stand-alone runs of 7 to 15 digits, with their '+' when there is one, by parser::mask_phone.
std::string mask_numbers(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const bool plus = c == '+' && i + 1 < s.size() && is_digit(static_cast<unsigned char>(s[i + 1]));
        if (!plus && !is_digit(c)) {
            out.push_back(s[i]);
            ++i;
            continue;
        }
        const std::size_t start = i;
        std::size_t end = plus ? i + 1 : i;
        while (end < s.size() && is_digit(static_cast<unsigned char>(s[end]))) {
            ++end;
        }
        const std::size_t digits = end - start - (plus ? 1 : 0);
        const bool alone_before = start == 0 || !is_alnum(static_cast<unsigned char>(s[start - 1]));
        const bool alone_after = end == s.size() || !is_alnum(static_cast<unsigned char>(s[end]));
        if (digits >= 7 && digits <= 15 && alone_before && alone_after) {
            out += parser::mask_phone(s.substr(start, end - start)); // the one rule, as in the logs
        } else {
            out += s.substr(start, end - start);
        }
        i = end;
    }
    return out;
}

} // namespace

std::string provider_detail(std::string_view text, std::size_t max_bytes) {
    const std::string utf8 = is_valid_utf8(text) ? std::string(text) : latin1_to_utf8(text);
    std::string flat;
    flat.reserve(utf8.size());
    bool space = false;
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F || c == ' ') {
            space = !flat.empty();
            continue;
        }
        if (space) {
            flat.push_back(' ');
            space = false;
        }
        flat.push_back(ch);
    }
    std::string masked = mask_numbers(flat);
    if (masked.size() <= max_bytes) {
        return masked;
    }
    constexpr std::string_view ellipsis = "...";
    std::size_t cut = max_bytes > ellipsis.size() ? max_bytes - ellipsis.size() : 0;
    while (cut > 0 && (static_cast<unsigned char>(masked[cut]) & 0xC0) == 0x80) {
        --cut; // not inside a UTF-8 sequence
    }
    while (cut > 0 && masked[cut - 1] == ' ') {
        --cut;
    }
    masked.resize(cut);
    masked += ellipsis;
    return masked;
}

std::string encode_query_value(std::string_view bytes) {
    return boost::urls::encode(bytes, boost::urls::unreserved_chars);
}

boost::asio::awaitable<send_outcome> guarded_send(std::string channel, std::int64_t outbox_id,
                                                   boost::asio::awaitable<send_outcome> attempt) {
    send_outcome out;
    try {
        out = co_await std::move(attempt);
    } catch (const std::exception& e) {
        out = {send_outcome::kind::retry, {}, provider_detail(std::string("internal error: ") + e.what())};
    }
    spdlog::debug("channel {}: outbox {}: {} ({})", channel, outbox_id, send_outcome_name(out.what), out.detail);
    co_return out;
}

std::optional<std::string> public_url_problem(std::string_view public_url, std::string_view purpose) {
    if (public_url.empty())
        return std::nullopt;
    const std::string copy(public_url); // NUL-terminated (boostorg/url#757)
    const auto u = boost::urls::parse_absolute_uri(copy.c_str());
    if (!u || (u->scheme_id() != boost::urls::scheme::http && u->scheme_id() != boost::urls::scheme::https) ||
        u->host_address().empty())
        return "public_url: '" + copy + "' is not an http(s) URL for " + std::string(purpose);
    if (u->has_query() || u->has_fragment())
        return std::string("public_url: the base URL takes no query or fragment");
    return std::nullopt;
}

http_channel::http_channel(const outbound_settings& settings, asio::any_io_executor executor)
    : settings_(settings), executor_(std::move(executor)), endpoint_(channel_endpoint(settings)) {}

asio::awaitable<send_outcome> http_channel::send(const outbound_sms& sms) {
    // Named, not temporaries inside the co_await expression (g++ 12 destroys those twice).
    auto attempt = checked(sms);
    auto guarded = guarded_send(settings_.name, sms.outbox_id, std::move(attempt));
    co_return co_await std::move(guarded);
}

asio::awaitable<send_outcome> http_channel::checked(const outbound_sms& sms) {
    if (!endpoint_.where)
        co_return send_outcome{send_outcome::kind::retry, {}, endpoint_.problem};
    auto a = attempt(sms, *endpoint_.where);
    co_return co_await std::move(a);
}

} // namespace kharuul::adapters::outbound_http

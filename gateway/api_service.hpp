// The /api/v1 front (issue 12, docs/api.md): decodes a request into an api::api_request,
// authenticates it (Authorization: Bearer, or the dashboard's session cookie with its CSRF value on
// writes), throttles failed authentications per client address (auth_throttle.hpp), resolves the
// principal from the store at request time (api_principal.hpp), and runs the endpoint functions
// (api_registry.hpp, api_reads.hpp) on the store's threads: reads on the reader, writes inside a
// writer job together with their audit rows. Reads' audit notes are written through the writer
// before the answer leaves. Serves /session (sign in, who am I, sign out), /audit and
// /openapi.json itself, and the live log's long poll (GET /messages?after=ID&wait=S). Every answer
// carries the contract's security headers. The token is never logged.
//
// One object per daemon, on the I/O thread (every member function but the constructor's caller).
#pragma once

#include "gateway/api_types.hpp"
#include "gateway/auth_throttle.hpp"
#include "gateway/api_sessions.hpp"
#include "gateway/http_server.hpp"
#include "store/audit.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kharuul::gateway {

using api_endpoint = std::function<std::optional<api::api_answer>(store::connection&, const api::principal&,
                                                                  const api::api_request&, const api::api_context&)>;

struct api_service_options {
    store::writer* writer = nullptr;
    store::reader* reader = nullptr;
    std::function<store::timestamp()> clock;     // the daemon's: token expiry, audit times
    std::function<api::api_context()> context;   // the running configuration and language
    std::function<bool()> writable;              // false: writes are answered 503 at once
    // After a write whose answer says registry_changed has committed: rebuilds the daemon's
    // routing; the answer leaves once it is done.
    std::function<boost::asio::awaitable<void>()> registry_changed;
    bool secure_cookie = false;                  // [server] public_url is https
    api_endpoint registry;                       // empty: serve_registry
    api_endpoint reads;                          // empty: serve_reads
    std::size_t max_waiting = 64;                // long polls waiting at once; more are answered at once
    std::chrono::seconds max_wait{25};
    std::size_t max_failures = 10;               // failed authentications per client per window
    std::chrono::seconds failure_window{60};
};

class api_service {
public:
    api_service(boost::asio::any_io_executor ex, api_service_options options);
    ~api_service();
    api_service(const api_service&) = delete;
    api_service& operator=(const api_service&) = delete;

    // `segs`: the request's whole path, segment by segment ("api", "v1", ...); `client`: the
    // client's address.
    boost::asio::awaitable<http_response> handle(http_request req, std::vector<std::string> segs, std::string client);

    // A message was stored (SMS or USSD): the waiting long polls read again.
    void message_stored();

    // The graceful stop: every waiting long poll is answered at once, and new ones do not wait.
    void stop();

    std::size_t waiting() const noexcept { return waiting_.size(); }

private:
    struct request_state;
    struct authenticated;

    boost::asio::awaitable<http_response> dispatch(request_state& rs);
    boost::asio::awaitable<std::optional<authenticated>> authenticate(request_state& rs, http_response& refusal);
    boost::asio::awaitable<http_response> session(request_state& rs);
    boost::asio::awaitable<http_response> sign_in(request_state& rs);
    boost::asio::awaitable<http_response> endpoint(request_state& rs, const authenticated& a);
    boost::asio::awaitable<http_response> audit(request_state& rs, const authenticated& a);
    boost::asio::awaitable<api::api_answer> read(request_state& rs, const api::principal& who, bool& found);
    boost::asio::awaitable<bool> wait_for_message(std::chrono::steady_clock::time_point deadline);
    boost::asio::awaitable<void> write_audits(std::vector<store::audit_entry> rows);
    void touch(std::int64_t token_id);

    boost::asio::any_io_executor ex_;
    api_service_options o_;
    api::auth_throttle throttle_;
    api::session_table sessions_;
    std::map<std::int64_t, std::chrono::steady_clock::time_point> touched_;
    std::set<boost::asio::steady_timer*> waiting_;
    std::uint64_t stored_generation_ = 0;
    bool stopping_ = false;
};

} // namespace kharuul::gateway

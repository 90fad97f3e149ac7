#include "gateway/api_service.hpp"

#include "gateway/api_auth.hpp"
#include "gateway/api_http.hpp"
#include "gateway/api_principal.hpp"
#include "gateway/api_reads.hpp"
#include "gateway/api_registry.hpp"
#include "gateway/store_client.hpp"
#include "gateway/time_text.hpp"
#include "store/audit.hpp"
#include "store/error.hpp"
#include "store/tokens.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

namespace kharuul::gateway {

namespace asio = boost::asio;
namespace json = boost::json;
using std::chrono::steady_clock;

struct api_service::request_state {
    http_request req;
    std::vector<std::string> segs;
    std::string client;
    api::api_request rq;
    unsigned version = 11;
};

struct api_service::authenticated {
    api::principal who;
    bool via_cookie = false;
    std::string session_id;
    std::string csrf;
};

namespace {

bool is_write(http::verb v) {
    return v != http::verb::get && v != http::verb::head && v != http::verb::options;
}

bool is_registry_path(const std::string& first) {
    return first == "sites" || first == "teams" || first == "coordinators" || first == "reporters";
}

// The store is busy or cannot write: the client retries.
http_response unavailable(unsigned version, std::string why) {
    auto res = api::error_response(http::status::service_unavailable, version, std::move(why),
                                   "try again in a moment");
    res.set(http::field::retry_after, "1");
    return res;
}

std::optional<std::int64_t> number_of(std::string_view s) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || p != s.data() + s.size())
        return std::nullopt;
    return n;
}

json::object principal_json(const api::principal& who, const std::string& csrf) {
    json::array areas;
    for (const auto& a : who.areas)
        areas.emplace_back(a);
    json::object o{{"label", who.label}, {"role", api::to_string(who.who)}};
    o["team"] = who.team.empty() ? json::value(nullptr) : json::value(who.team);
    o["areas"] = std::move(areas);
    o["csrf"] = csrf.empty() ? json::value(nullptr) : json::value(csrf);
    return o;
}

// A minimal OpenAPI 3 document until the full one is written (it names the paths served).
const char* openapi_document() {
    return R"({"openapi":"3.0.3","info":{"title":"kharuul API","version":"1"},"servers":[{"url":"/api/v1"}],)"
           R"("components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}}},)"
           R"("security":[{"bearer":[]}],"paths":{}})";
}

} // namespace

api_service::api_service(asio::any_io_executor ex, api_service_options options)
    : ex_(std::move(ex)), o_(std::move(options)), throttle_(o_.max_failures, o_.failure_window) {
    if (!o_.registry)
        o_.registry = serve_registry;
    if (!o_.reads)
        o_.reads = serve_reads;
}

api_service::~api_service() = default;

void api_service::message_stored() {
    ++stored_generation_;
    for (auto* t : waiting_)
        t->cancel();
}

void api_service::stop() {
    stopping_ = true;
    for (auto* t : waiting_)
        t->cancel();
}

asio::awaitable<http_response> api_service::handle(http_request req, std::vector<std::string> segs,
                                                   std::string client) {
    request_state rs;
    rs.version = req.version();
    rs.client = std::move(client);
    rs.segs = std::move(segs);
    rs.req = std::move(req);
    try {
        co_return co_await dispatch(rs);
    } catch (const std::exception& e) {
        spdlog::error("api: {} /api/{} failed: {}", std::string(rs.req.method_string()),
                      rs.segs.size() > 1 ? rs.segs[1] : "", e.what());
        co_return api::error_response(http::status::internal_server_error, rs.version, "internal error",
                                      "the gateway's log says more");
    }
}

asio::awaitable<http_response> api_service::dispatch(request_state& rs) {
    if (rs.segs.size() < 3 || rs.segs[1] != "v1")
        co_return api::error_response(http::status::not_found, rs.version, "no such endpoint",
                                      "the API is at /api/v1/ (see /api/v1/openapi.json)");
    auto query = api::query_of(rs.req.target());
    if (!query)
        co_return api::error_response(http::status::bad_request, rs.version, "bad request target");
    if (query->count("token"))
        co_return api::error_response(http::status::bad_request, rs.version,
                                      "a token in the URL is refused: URLs end up in logs and histories",
                                      "send it in the header: Authorization: Bearer <token> (and revoke this one)");
    rs.rq.method = rs.req.method() == http::verb::head ? http::verb::get : rs.req.method();
    rs.rq.path.assign(rs.segs.begin() + 2, rs.segs.end());
    rs.rq.query = std::move(*query);
    rs.rq.body = rs.req.body();
    rs.rq.now = o_.clock();
    if (rs.rq.path.front() == "session" && rs.rq.path.size() == 1)
        co_return co_await session(rs);
    http_response refusal;
    auto a = co_await authenticate(rs, refusal);
    if (!a)
        co_return refusal;
    if (a->via_cookie && is_write(rs.rq.method) &&
        !api::csrf_matches(rs.req["X-CSRF-Token"], a->csrf))
        co_return api::error_response(http::status::forbidden, rs.version, "missing or wrong X-CSRF-Token",
                                      "send the csrf value POST /api/v1/session answered in X-CSRF-Token");
    co_return co_await endpoint(rs, *a);
}

asio::awaitable<std::optional<api_service::authenticated>> api_service::authenticate(request_state& rs,
                                                                                      http_response& refusal) {
    const auto now = steady_clock::now();
    if (auto wait = throttle_.retry_after(rs.client, now)) {
        refusal = api::too_many(rs.version, *wait);
        co_return std::nullopt;
    }
    const auto unauthorized = [&](std::string why, std::string next) {
        return api::to_response(api::error_answer(http::status::unauthorized, std::move(why), std::move(next)),
                                rs.version);
    };
    const auto bearer = api::bearer_of(rs.req[http::field::authorization]);
    const auto cookie = api::cookie_of(rs.req[http::field::cookie], api::session_cookie);
    authenticated out;
    api::resolved_token found;
    const auto at = rs.rq.now;
    try {
        if (bearer) {
            const store::token_hash hash = api::hash_of(*bearer);
            auto job = [hash, at](store::connection& db) { return api::resolve_by_hash(db, hash, at); };
            found = co_await run_in_reader(*o_.reader, std::move(job));
        } else if (cookie) {
            const api::api_session* s = sessions_.find(*cookie, now);
            if (s == nullptr) {
                throttle_.failed(rs.client, now);
                refusal = unauthorized("the session has ended", "sign in again (POST /api/v1/session)");
                co_return std::nullopt;
            }
            out.via_cookie = true;
            out.session_id = std::string(*cookie);
            out.csrf = s->csrf;
            const std::int64_t id = s->token_id;
            auto job = [id, at](store::connection& db) { return api::resolve_by_id(db, id, at); };
            found = co_await run_in_reader(*o_.reader, std::move(job));
            if (found.dead)
                sessions_.close_token(id);
        } else {
            refusal = unauthorized("no token", "send Authorization: Bearer <token> (kharuul token create makes one)");
            co_return std::nullopt;
        }
    } catch (const std::exception& e) {
        refusal = unavailable(rs.version, std::string("the store cannot be read now: ") + e.what());
        co_return std::nullopt;
    }
    if (!found.who) {
        throttle_.failed(rs.client, now);
        refusal = unauthorized(found.refusal, "ask for a new token (kharuul token create)");
        co_return std::nullopt;
    }
    out.who = std::move(*found.who);
    out.who.client = rs.client;
    touch(out.who.token_id);
    co_return out;
}

void api_service::touch(std::int64_t token_id) {
    const auto now = steady_clock::now();
    auto [it, fresh] = touched_.try_emplace(token_id, now);
    if (!fresh && now - it->second < std::chrono::minutes(1))
        return;
    it->second = now;
    if (!o_.writable || !o_.writable())
        return;
    const auto at = o_.clock();
    o_.writer->submit([token_id, at](store::connection& db) { store::touch_token(db, token_id, at); },
                      [](std::exception_ptr) {}); // last_used_at is a hint: a failed update is no loss
}

asio::awaitable<void> api_service::write_audits(std::vector<store::audit_entry> rows) {
    if (rows.empty())
        co_return;
    auto job = [rows = std::move(rows)](store::connection& db) {
        for (const auto& r : rows)
            store::append_audit(db, r);
        return true;
    };
    co_await run_in_store(*o_.writer, std::move(job));
}

asio::awaitable<http_response> api_service::session(request_state& rs) {
    const auto method = rs.rq.method;
    if (method == http::verb::post)
        co_return co_await sign_in(rs);
    if (method == http::verb::get) {
        http_response refusal;
        auto a = co_await authenticate(rs, refusal);
        if (!a)
            co_return refusal;
        api::api_answer ans;
        ans.body = principal_json(a->who, a->csrf);
        co_return api::to_response(ans, rs.version);
    }
    if (method == http::verb::delete_) {
        api::api_answer ans;
        ans.status = http::status::no_content;
        if (auto cookie = api::cookie_of(rs.req[http::field::cookie], api::session_cookie)) {
            if (const auto* s = sessions_.find(*cookie, steady_clock::now())) {
                if (!api::csrf_matches(rs.req["X-CSRF-Token"], s->csrf))
                    co_return api::error_response(http::status::forbidden, rs.version, "missing or wrong X-CSRF-Token",
                                                  "send the csrf value POST /api/v1/session answered in X-CSRF-Token");
                sessions_.close(*cookie);
            }
        }
        auto res = api::to_response(ans, rs.version);
        res.set(http::field::set_cookie, std::string(api::session_cookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0" +
                                             (o_.secure_cookie ? "; Secure" : ""));
        co_return res;
    }
    auto res = api::error_response(http::status::method_not_allowed, rs.version, "GET, POST or DELETE only");
    res.set(http::field::allow, "GET, POST, DELETE");
    co_return res;
}

asio::awaitable<http_response> api_service::sign_in(request_state& rs) {
    const auto now = steady_clock::now();
    if (auto wait = throttle_.retry_after(rs.client, now))
        co_return api::too_many(rs.version, *wait);
    const std::string_view type = rs.req[http::field::content_type];
    if (!type.starts_with("application/json"))
        co_return api::error_response(http::status::bad_request, rs.version, "the body must be JSON",
                                      "POST {\"token\": \"khr_...\"} with Content-Type: application/json");
    boost::system::error_code ec;
    const json::value body = json::parse(rs.rq.body, ec);
    const json::string* token = nullptr;
    if (!ec && body.is_object())
        if (const auto* t = body.as_object().if_contains("token"); t && t->is_string())
            token = &t->as_string();
    if (token == nullptr || token->empty())
        co_return api::error_response(http::status::bad_request, rs.version, "token: missing",
                                      "POST {\"token\": \"khr_...\"}");
    const store::token_hash hash = api::hash_of(std::string_view(token->data(), token->size()));
    const auto at = rs.rq.now;
    api::resolved_token found;
    try {
        auto job = [hash, at](store::connection& db) { return api::resolve_by_hash(db, hash, at); };
        found = co_await run_in_reader(*o_.reader, std::move(job));
    } catch (const std::exception& e) {
        co_return unavailable(rs.version, std::string("the store cannot be read now: ") + e.what());
    }
    if (!o_.writable())
        co_return unavailable(rs.version, "the store cannot write now (sign-ins are recorded)");
    if (!found.who) {
        throttle_.failed(rs.client, now);
        store::audit_entry e;
        e.at = at;
        e.actor = "unknown";
        e.client = rs.client;
        e.action = "sign_in_refused";
        e.object = "session";
        e.detail = json::serialize(json::object{{"reason", found.refusal}});
        std::vector<store::audit_entry> refused{std::move(e)};
        try {
            co_await write_audits(std::move(refused));
        } catch (const std::exception& ex) {
            co_return unavailable(rs.version, std::string("the store cannot write now: ") + ex.what());
        }
        co_return api::to_response(api::error_answer(http::status::unauthorized, found.refusal,
                                                     "check the token, or ask for a new one (kharuul token create)"),
                                   rs.version);
    }
    api::principal who = std::move(*found.who);
    who.client = rs.client;
    std::vector<store::audit_entry> signed_in{
        api::audit_row(who, at, std::string("sign_in"), "token " + std::to_string(who.token_id), {})};
    try {
        co_await write_audits(std::move(signed_in));
    } catch (const std::exception& ex) {
        co_return unavailable(rs.version, std::string("the store cannot write now: ") + ex.what());
    }
    touch(who.token_id);
    const auto opened = sessions_.open(who.token_id, now);
    api::api_answer ans;
    ans.body = principal_json(who, opened.csrf);
    auto res = api::to_response(ans, rs.version);
    const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(sessions_.lifetime()).count();
    res.set(http::field::set_cookie, std::string(api::session_cookie) + "=" + opened.id +
                                         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age) +
                                         (o_.secure_cookie ? "; Secure" : ""));
    spdlog::info("api: sign-in by token {} ('{}', {}) from {}", who.token_id, who.label, api::to_string(who.who),
                 rs.client);
    co_return res;
}

asio::awaitable<api::api_answer> api_service::read(request_state& rs, const api::principal& who, bool& found) {
    const api_endpoint& fn = is_registry_path(rs.rq.path.front()) ? o_.registry : o_.reads;
    auto job = [fn, who, rq = rs.rq, ctx = o_.context()](store::connection& db) { return fn(db, who, rq, ctx); };
    std::optional<api::api_answer> ans = co_await run_in_reader(*o_.reader, std::move(job));
    found = ans.has_value();
    co_return ans ? std::move(*ans) : api::api_answer{};
}

asio::awaitable<bool> api_service::wait_for_message(steady_clock::time_point deadline) {
    if (stopping_ || steady_clock::now() >= deadline)
        co_return false;
    asio::steady_timer timer(ex_, deadline);
    waiting_.insert(&timer);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    waiting_.erase(&timer);
    co_return ec == asio::error::operation_aborted && !stopping_;
}

namespace {

bool no_rows(const api::api_answer& a, std::string_view list) {
    if (a.status != http::status::ok || !a.body.is_object())
        return false;
    const auto* rows = a.body.as_object().if_contains(list);
    return rows != nullptr && rows->is_array() && rows->as_array().empty();
}

} // namespace

asio::awaitable<http_response> api_service::endpoint(request_state& rs, const authenticated& a) {
    const api::principal& who = a.who;
    const std::string& first = rs.rq.path.front();
    if (first == "audit" && rs.rq.path.size() == 1)
        co_return co_await audit(rs, a);
    if (first == "openapi.json" && rs.rq.path.size() == 1) {
        if (rs.rq.method != http::verb::get) {
            auto res = api::error_response(http::status::method_not_allowed, rs.version, "GET only");
            res.set(http::field::allow, "GET, HEAD");
            co_return res;
        }
        api::api_answer ans;
        ans.body = json::parse(openapi_document());
        co_return api::to_response(ans, rs.version);
    }
    if (who.who == api::role::viewer && first != "report")
        co_return api::to_response(api::forbidden(), rs.version);

    if (!is_write(rs.rq.method)) {
        const bool poll = rs.rq.path.size() == 1 && first == "messages" && rs.rq.query.count("wait") != 0;
        std::chrono::seconds wait{0};
        if (poll) {
            const auto w = number_of(rs.rq.query.find("wait")->second);
            if (!w || *w < 0 || *w > o_.max_wait.count())
                co_return api::error_response(http::status::bad_request, rs.version,
                                              "wait: must be 0 to " + std::to_string(o_.max_wait.count()) + " (seconds)");
            if (rs.rq.query.count("after") == 0)
                co_return api::error_response(http::status::bad_request, rs.version,
                                              "wait needs after: the id of the last message seen",
                                              "GET /api/v1/messages?after=ID&wait=S");
            wait = std::chrono::seconds(*w);
        }
        const auto deadline = steady_clock::now() + wait;
        api::api_answer ans;
        try {
            bool found = false;
            auto generation = stored_generation_;
            ans = co_await read(rs, who, found);
            if (!found)
                co_return api::error_response(http::status::not_found, rs.version, "no such endpoint",
                                              "see /api/v1/openapi.json");
            while (poll && no_rows(ans, "messages") && !stopping_) {
                if (generation == stored_generation_) {
                    if (waiting_.size() >= o_.max_waiting)
                        break; // answered at once: the client asks again
                    if (!co_await wait_for_message(deadline))
                        break;
                }
                generation = stored_generation_;
                rs.rq.now = o_.clock();
                ans = co_await read(rs, who, found);
            }
        } catch (const std::system_error& e) {
            if (e.code() == store::errc::reader_busy || e.code() == store::errc::reader_stopped)
                co_return unavailable(rs.version, e.what());
            throw;
        }
        std::vector<store::audit_entry> rows;
        for (const auto& n : ans.audits)
            rows.push_back(api::audit_row(who, rs.rq.now, n.action, n.object, n.detail));
        if (!rows.empty()) {
            try {
                co_await write_audits(std::move(rows));
            } catch (const std::exception& e) {
                co_return unavailable(rs.version, std::string("the store cannot write now (this read is recorded): ") +
                                                      e.what());
            }
        }
        co_return api::to_response(ans, rs.version);
    }

    if (!o_.writable())
        co_return unavailable(rs.version, "the store cannot write now");
    const api_endpoint& fn = is_registry_path(first) ? o_.registry : o_.reads;
    auto job = [fn, who, rq = rs.rq, ctx = o_.context()](store::connection& db) {
        auto ans = fn(db, who, rq, ctx);
        if (ans)
            for (const auto& n : ans->audits)
                store::append_audit(db, api::audit_row(who, rq.now, n.action, n.object, n.detail));
        return ans;
    };
    std::optional<api::api_answer> ans;
    try {
        ans = co_await run_in_store(*o_.writer, std::move(job));
    } catch (const std::exception& e) {
        if (store::cannot_write(std::current_exception()))
            co_return unavailable(rs.version, std::string("the store cannot write now: ") + e.what());
        throw;
    }
    if (!ans)
        co_return api::error_response(http::status::not_found, rs.version, "no such endpoint",
                                      "see /api/v1/openapi.json");
    if (ans->registry_changed && o_.registry_changed) {
        try {
            co_await o_.registry_changed();
        } catch (const std::exception& e) { // the write stands; the next change or a reload catches up
            spdlog::error("api: the registry changed but the routing could not follow it: {}", e.what());
        }
    }
    co_return api::to_response(*ans, rs.version);
}

asio::awaitable<http_response> api_service::audit(request_state& rs, const authenticated& a) {
    if (rs.rq.method != http::verb::get) {
        auto res = api::error_response(http::status::method_not_allowed, rs.version, "GET only");
        res.set(http::field::allow, "GET, HEAD");
        co_return res;
    }
    if (!api::administers(a.who))
        co_return api::to_response(api::forbidden(), rs.version);
    const auto ctx = o_.context();
    const auto offset = ctx.cfg ? ctx.cfg->alerts.utc_offset : std::chrono::minutes(0);
    store::audit_filter f;
    const auto& q = rs.rq.query;
    for (auto [name, bound] : {std::pair{"since", time_bound::since}, std::pair{"until", time_bound::until}}) {
        auto it = q.find(name);
        if (it == q.end())
            continue;
        auto t = parse_time_bound(it->second, bound, offset, rs.rq.now);
        if (!t)
            co_return api::error_response(http::status::bad_request, rs.version,
                                          std::string(name) + ": not a time (2026-11-25, 2026-11-25T17:30, 24h, 7d)");
        (bound == time_bound::since ? f.range.since : f.range.until) = *t;
    }
    if (auto it = q.find("actor"); it != q.end())
        f.actor = it->second;
    if (auto it = q.find("action"); it != q.end())
        f.action = it->second;
    if (auto it = q.find("limit"); it != q.end()) {
        const auto n = number_of(it->second);
        if (!n || *n < 1 || *n > 1000)
            co_return api::error_response(http::status::bad_request, rs.version, "limit: must be 1 to 1000");
        f.limit = static_cast<std::size_t>(*n);
    }
    if (auto it = q.find("before"); it != q.end()) {
        const auto n = number_of(it->second);
        if (!n || *n < 1)
            co_return api::error_response(http::status::bad_request, rs.version,
                                          "before: must be an audit entry's id (the next value of the last page)");
        f.before = *n;
    }
    std::vector<store::audit_entry> entries;
    try {
        auto job = [f](store::connection& db) { return store::list_audit(db, f); };
        entries = co_await run_in_reader(*o_.reader, std::move(job));
    } catch (const std::system_error& e) {
        if (e.code() == store::errc::reader_busy || e.code() == store::errc::reader_stopped)
            co_return unavailable(rs.version, e.what());
        throw;
    }
    json::array rows;
    for (const auto& e : entries) {
        json::object r{{"id", e.id}, {"at", format_utc_iso(e.at)}, {"actor", e.actor}, {"action", e.action},
                       {"object", e.object}};
        r["token_id"] = e.token_id ? json::value(*e.token_id) : json::value(nullptr);
        r["role"] = e.role ? json::value(*e.role) : json::value(nullptr);
        r["client"] = e.client ? json::value(*e.client) : json::value(nullptr);
        boost::system::error_code ec;
        json::value detail = e.detail ? json::parse(*e.detail, ec) : json::value(nullptr);
        r["detail"] = ec ? json::value(*e.detail) : std::move(detail);
        rows.push_back(std::move(r));
    }
    api::api_answer ans;
    json::object body{{"audit", std::move(rows)}};
    body["next"] = entries.size() == f.limit && !entries.empty() ? json::value(std::to_string(entries.back().id))
                                                                 : json::value(nullptr);
    ans.body = std::move(body);
    co_return api::to_response(ans, rs.version);
}

} // namespace kharuul::gateway

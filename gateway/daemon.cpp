#include "gateway/daemon.hpp"

#include "adapters/dialect.hpp"
#include "adapters/outbound.hpp"
#include "gateway/alert_desk.hpp"
#include "gateway/api_service.hpp"
#include "gateway/daemon_routing.hpp"
#include "gateway/dashboard_files.hpp"
#include "config/load.hpp"
#include "gateway/http_server.hpp"
#include "gateway/socket_activation.hpp"
#include "gateway/intake.hpp"
#include "gateway/metrics.hpp"
#include "gateway/outbox_reply.hpp"
#include "gateway/registry_seed.hpp"
#include "gateway/outbox_sender.hpp"
#include "gateway/store_client.hpp"
#include "gateway/ussd_desk.hpp"
#include "gateway/warning_summary.hpp"
#include "parser/lexicon.hpp"
#include "store/alerts.hpp"
#include "store/outbox.hpp"
#include "store/reader.hpp"
#include "store/registry.hpp"
#include "store/writer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <map>
#include <utility>

namespace kharuul::gateway {

namespace asio = boost::asio;
using asio::ip::tcp;

using namespace daemon_detail;

namespace {

http_response plain(const http_request& req, http::status status, std::string body,
                    std::string_view type = "text/plain; charset=utf-8") {
    http_response res{status, req.version()};
    res.set(http::field::content_type, type);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

// Answers 405 unless the request is a GET or a HEAD (the read-only endpoints).
std::optional<http_response> unless_get_or_head(const http_request& req) {
    if (req.method() == http::verb::get || req.method() == http::verb::head)
        return std::nullopt;
    auto res = plain(req, http::status::method_not_allowed, "only GET and HEAD\n");
    res.set(http::field::allow, "GET, HEAD");
    return res;
}

// "Authorization: Bearer <token>" compared in time independent of where it differs.
bool bearer_matches(const http_request& req, std::string_view token) {
    constexpr std::string_view scheme = "Bearer ";
    const std::string_view given = req[http::field::authorization];
    if (given.size() != scheme.size() + token.size() || !given.starts_with(scheme))
        return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < token.size(); ++i)
        diff |= static_cast<unsigned char>(given[scheme.size() + i] ^ token[i]);
    return diff == 0;
}

// Retry-After of a 503 for a full store queue: the queue holds about a tenth of a second of work,
// so a second later it has drained many times over; providers that ignore the header (Kannel
// retries on its own http-request-retry interval) are not harmed by it.
constexpr std::chrono::seconds queue_full_retry_after{1};

store::timestamp system_now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

} // namespace

struct daemon::impl {
    config::gateway_config cfg;
    daemon_options opts;
    asio::io_context io{1};
    std::unique_ptr<store::writer> writer;
    std::unique_ptr<store::reader> reader; // the API's reads
    std::unique_ptr<api_service> api;      // /api/v1
    std::shared_ptr<const config::gateway_config> api_cfg; // the running configuration, as the API reads it
    std::shared_ptr<const routing> routes;
    std::unique_ptr<http_server> server;
    metrics counters;
    warning_summary warnings; // refused requests: one line per kind and interval
    asio::steady_timer warnings_timer{io};
    asio::signal_set signals{io};
    asio::steady_timer grace{io};
    asio::steady_timer ticker{io};      // escalations and reminders
    asio::steady_timer store_retry{io}; // start-up store work retried while the disk is full
    asio::steady_timer store_watch{io}; // looks at whether the store can write
    // The start-up store work (registry, requeue) is done: until then the daemon answers 503 to
    // messages (a new store has no registry yet) and the outbox and the ticker wait.
    bool store_ready = false;
    std::unique_ptr<outbox_sender> sender; // the outbox, sent one message at a time
    std::unique_ptr<ussd_desk> ussd; // USSD sessions (gateway/ussd_desk.hpp), on this thread
    bool stopping = false;

    impl(config::gateway_config c, daemon_options o) : cfg(std::move(c)), opts(std::move(o)) {
        if (!opts.clock)
            opts.clock = system_now;
        const std::filesystem::path db_path = cfg.store.path;
        if (db_path.has_parent_path())
            std::filesystem::create_directories(db_path.parent_path());
        store::writer_options wo;
        wo.path = db_path;
        wo.database.busy_timeout = cfg.store.busy_timeout;
        wo.max_batch = cfg.store.max_batch_size;
        wo.database.read_only = opts.read_only_store;
        // A full disk at start is served, not fatal: 503 and /healthz degraded until it has room.
        wo.wait_for_store = !opts.read_only_store;
        writer = std::make_unique<store::writer>(wo);
        counters.max_queue = cfg.store.max_queue;
        synced_registry held;
        if (opts.read_only_store) {
            store_ready = true;
            held.changes.active_sites = cfg.site_codes();
        } else if (!writer->writable()) {
            spdlog::error("store {} cannot be opened: the disk is full; answering 503 and retrying", db_path.string());
            held.changes.active_sites = cfg.site_codes();
        } else {
            try {
                held = sync_registry_now(cfg);
                requeue_now();
                store_ready = true;
            } catch (const std::exception& e) {
                if (!store::out_of_space(e) && writer->writable())
                    throw;
                spdlog::error("store {} cannot write: {}; answering 503 and retrying", db_path.string(), e.what());
                held.changes.active_sites = cfg.site_codes();
            }
        }
        const http_limits limits = http_limits_of(cfg.server);
        auto handler = [this](http_request req, tcp::endpoint peer) { return handle(std::move(req), peer); };
        if (opts.listen_fd >= 0) {
            const int fd = std::exchange(opts.listen_fd, -1);
            server = std::make_unique<http_server>(io.get_executor(), fd, limits, std::move(handler));
            // The socket's own address is the one served: links to the daemon (public_url) follow it.
            const auto at = server->local_endpoint();
            cfg.server.listen = config::endpoint{at.address().to_string(), at.port()};
        } else {
            server = std::make_unique<http_server>(
                io.get_executor(), tcp::endpoint(asio::ip::make_address(cfg.server.listen.host), cfg.server.listen.port),
                limits, std::move(handler));
        }
        routes = routing_of(cfg, held);
        sender = std::make_unique<outbox_sender>(io.get_executor(), *writer, counters, opts.clock);
        sender->reconfigure(outbound_channels_of(cfg, io.get_executor()), cfg.alerts.retry_base, cfg.alerts.retry_cap);
        ussd = std::make_unique<ussd_desk>(*writer, cfg.ussd, [this] { wake_sender(); });
        reader = std::make_unique<store::reader>(store::reader_options{db_path, cfg.store.busy_timeout});
        api = make_api_service();
    }

    std::unique_ptr<api_service> make_api_service() {
        api_service_options a;
        a.writer = writer.get();
        a.reader = reader.get();
        a.clock = opts.clock;
        a.context = [this] {
            if (!api_cfg)
                api_cfg = std::make_shared<const config::gateway_config>(cfg);
            return api::api_context{api_cfg, routes->lex};
        };
        a.writable = [this] { return store_ready && writer->writable(); };
        a.registry_changed = [this] { return registry_changed(); };
        a.secure_cookie = public_url_of(cfg).starts_with("https://");
        if (opts.tune_api)
            opts.tune_api(a);
        return std::make_unique<api_service>(io.get_executor(), std::move(a));
    }

    // An API write changed the registry: the routing follows the store's whole registry at once
    // (its sites, teams and coordinators, the ones made at run time included).
    asio::awaitable<void> registry_changed() {
        auto job = [](store::connection& db) { return registry_held(db); };
        const synced_registry held = co_await run_in_reader(*reader, std::move(job));
        routes = routing_of(cfg, held);
        api_cfg.reset();
    }

    // At start, before serving: the registry must be in the store before the first message.
    synced_registry sync_registry_now(const config::gateway_config& c) {
        std::promise<void> done;
        synced_registry held; // written by the job, read after the commit
        auto job = registry_sync_job(c, opts.config_path.empty() ? "configuration" : opts.config_path.string(), opts.clock());
        writer->submit([&held, job](store::connection& db) { held = job(db); },
                       [&done](std::exception_ptr e) {
                           if (e)
                               done.set_exception(e);
                           else
                               done.set_value();
                       });
        done.get_future().get();
        return held;
    }

    // At start: messages a crash left "sending" go back to the queue. This is the one message per
    // crash that may reach its recipient twice; its outbox id travels with it so that a provider
    // that can drop repeats does.
    void requeue_now() {
        std::promise<int> done;
        const auto now = opts.clock();
        writer->submit([&done, now](store::connection& db) { done.set_value(store::requeue_in_flight(db, now)); },
                       [&done](std::exception_ptr e) {
                           if (e)
                               done.set_exception(e);
                       });
        if (const int n = done.get_future().get(); n > 0)
            spdlog::warn("outbox: {} message(s) were being sent when the gateway stopped; sending again", n);
    }

    // While the start-up store work could not be done (a full disk): retries it, then starts the
    // outbox sender and the ticker. I/O thread.
    asio::awaitable<void> prepare_store() {
        while (!stopping && !store_ready) {
            co_await sleep_on(store_retry, std::chrono::milliseconds(500));
            if (stopping || !writer->writable())
                continue; // the writer probes the disk by itself
            auto snapshot = registry_snapshot_of(cfg);
            const auto now = opts.clock();
            auto job = [snapshot, now](store::connection& db) {
                auto r = store::sync_registry(db, snapshot, now);
                if (!r)
                    throw std::system_error(r.error());
                const int requeued = store::requeue_in_flight(db, now);
                return std::pair{requeued, registry_held(db, std::move(*r))};
            };
            try {
                const auto [requeued, held] = co_await run_in_store(*writer, std::move(job));
                routes = routing_of(cfg, held);
                store_ready = true;
                if (requeued > 0)
                    spdlog::warn("outbox: {} message(s) were being sent when the gateway stopped; sending again",
                                 requeued);
            } catch (const std::exception& e) {
                spdlog::warn("store still cannot write: {}", e.what());
            }
        }
        if (store_ready && !stopping) {
            spdlog::info("store writable: taking messages");
            start_store_runners();
        }
    }

    void start_store_runners() {
        asio::co_spawn(io, sender->run(), log_escape("outbox sender"));
        asio::co_spawn(io, tick(), log_escape("alert ticker"));
    }

    static std::function<void(std::exception_ptr)> log_escape(const char* what) {
        return [what](std::exception_ptr e) {
            if (!e)
                return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                spdlog::error("{} ended by an exception: {}", what, ex.what());
            }
        };
    }

    // What /healthz says: degraded while the store cannot write (a full disk, say).
    bool degraded() const { return !store_ready || !writer->writable(); }

    // Logs when the store stops and starts being writable (once per change, not per request).
    asio::awaitable<void> watch_store() {
        bool was_degraded = false;
        while (!stopping) {
            const bool now_degraded = store_ready && !writer->writable();
            if (now_degraded != was_degraded)
                (now_degraded ? spdlog::error("store cannot write (disk full?): answering 503 and /healthz degraded "
                                              "until it can")
                              : spdlog::info("store writable again"));
            was_degraded = now_degraded;
            co_await sleep_on(store_watch, std::chrono::milliseconds(500));
        }
    }

    // Wakes the outbox sender (I/O thread).
    void wake_sender() { sender->wake(); }


    // Escalations and reminders as the clock moves: every second the escalations due at "now",
    // once a minute the reminders.
    asio::awaitable<void> tick() {
        std::optional<store::timestamp> reminders_at; // the last look for overdue cases
        while (!stopping) {
            const auto now = opts.clock();
            const bool reminders = !reminders_at || now - *reminders_at >= std::chrono::minutes(1);
            if (reminders)
                reminders_at = now;
            auto rt = routes;
            // The outbox and alert figures for /metrics ride on this job: a scrape reads counters
            // and submits nothing to the store.
            auto job = [rt, now, reminders](store::connection& db) {
                std::pair<due_work, store_figures> out;
                out.first = run_due(db, *rt->intake.alerts, *rt->lex, now, reminders);
                out.second = store_figures_of(db);
                return out;
            };
            try {
                const auto [w, figures] = co_await run_in_store(*writer, std::move(job));
                counters.outbox = figures.outbox;
                counters.open_alerts = figures.open_alerts;
                if (w.queued > 0) {
                    spdlog::info("alerts: {} escalation step(s), {} reminder(s), {} SMS queued", w.escalations,
                                 w.reminders, w.queued);
                    wake_sender();
                }
            } catch (const std::exception& e) {
                spdlog::error("alerts: escalation and reminders failed, retrying: {}", e.what());
            }
            co_await ussd->sweep(now); // USSD sessions that timed out
            co_await sleep_on(ticker, std::chrono::seconds(1));
        }
    }

    asio::awaitable<http_response> handle(http_request req, tcp::endpoint peer) {
        // A NUL-terminated copy: Boost.URL 1.81 may read past the end of a string_view that is
        // not (boostorg/url#757), and Beast's target is a view into the read buffer.
        const std::string target(req.target());
        auto url = boost::urls::parse_origin_form(target.c_str());
        if (!url)
            co_return plain(req, http::status::bad_request, "bad request target\n");
        std::vector<std::string> segs;
        for (auto s : url->segments())
            segs.push_back(s);
        if (segs.size() == 1 && (segs[0] == "healthz" || segs[0] == "metrics"))
            if (auto refused = unless_get_or_head(req))
                co_return std::move(*refused);
        if (segs.size() == 1 && segs[0] == "healthz") {
            if (stopping)
                co_return plain(req, http::status::ok, "stopping\n");
            if (degraded())
                co_return plain(req, http::status::service_unavailable, "degraded\n");
            co_return plain(req, http::status::ok, "ok\n");
        }
        if (segs.size() == 1 && segs[0] == "metrics")
            co_return scrape(req);
        if (!segs.empty() && segs[0] == "api")
            co_return co_await api->handle(std::move(req), std::move(segs), peer.address().to_string());
        if (segs.size() == 3 && segs[0] == "channels") {
            auto rt = routes; // this request keeps the routing it started with
            auto it = rt->channels.find(segs[1]);
            if (it == rt->channels.end() || it->second.dialect == nullptr) {
                warnings.warn("404 for unknown channels",
                              "http: 404 for " + std::string(url->encoded_path()).substr(0, 80));
                co_return plain(req, http::status::not_found, "no such channel\n");
            }
            if (segs[2] == "receive")
                co_return co_await receive(std::move(req), rt, it->second);
            if (segs[2] == "status")
                co_return co_await status(std::move(req), it->second);
            if (segs[2] == "ussd")
                co_return co_await ussd_step(std::move(req), rt, it->second);
        }
        if (segs.size() == 4 && segs[0] == "channels" && segs[2] == "ussd" && segs[3] == "end") {
            auto rt = routes;
            if (auto it = rt->channels.find(segs[1]); it != rt->channels.end() && it->second.dialect != nullptr)
                co_return co_await ussd_end(std::move(req), it->second);
        }
        // The dashboard's files (dashboard_files.hpp) at / and every other path not served above.
        if (segs.empty() || (segs[0] != "api" && segs[0] != "channels"))
            if (auto file = dashboard::answer(req, url->path()))
                co_return std::move(*file);
        warnings.warn("404 for unknown paths", "http: 404 for " + std::string(url->encoded_path()).substr(0, 80));
        co_return plain(req, http::status::not_found, "not found\n");
    }

    // /metrics from the counters kept here and the figures the ticker refreshes: no store job.
    http_response scrape(const http_request& req) {
        const std::string& token = cfg.server.metrics_token;
        if (!token.empty() && !bearer_matches(req, token)) {
            warnings.warn("401 on /metrics", "metrics: scrape without the bearer token refused (401)");
            auto res = plain(req, http::status::unauthorized, "missing or wrong bearer token\n");
            res.set(http::field::www_authenticate, "Bearer realm=\"kharuul metrics\"");
            return res;
        }
        counters.open_connections = server->connections();
        return plain(req, http::status::ok, render_metrics(counters, writer->stats()),
                     "text/plain; version=0.0.4; charset=utf-8");
    }

    // Logs the counts of repeated warnings once their interval is over, every second until the stop.
    asio::awaitable<void> flush_warnings() {
        while (!stopping) {
            co_await sleep_on(warnings_timer, std::chrono::seconds(1));
            warnings.flush();
            server->flush_warnings();
        }
        warnings.flush();
    }

    bool authorised(const http_request& req, const channel_binding& ch) {
        if (ch.dialect->authenticate(req, ch.settings))
            return true;
        ++counters.unauthorized[ch.cfg.name];
        std::string why = "channel " + ch.cfg.name + ": request without the channel's secret or signature refused (401)";
        if (ch.settings.type == "twilio") // the usual cause: the URL the signature is checked over
            why += "; X-Twilio-Signature is checked over " + ch.settings.public_url +
                   " and the request's path: is that the URL in the Twilio console?";
        warnings.warn("401 on channel " + ch.cfg.name, why);
        return false;
    }

    // Intake's bound (store.max_queue): while that many store jobs are pending (queued, or in the
    // batch being written), a provider's request is answered 503 with a short Retry-After through
    // its dialect's failed(), and nothing is submitted: nothing stored, the provider retries. So
    // a request waits at most about a queue's worth of work, and memory does not grow with the
    // offered load. Only provider requests are refused: the daemon's own store jobs (API writes,
    // the outbox sender, the alert ticker, USSD sweeps) are few, one at a time each, and go
    // past the bound (they count in the pending figure, so intake is refused a job or two early).
    std::optional<http_response> refuse_when_full(const http_request& req, const channel_binding& ch,
                                                  std::string_view what) {
        const std::size_t pending = writer->pending();
        if (pending < cfg.store.max_queue)
            return std::nullopt;
        ++counters.rejected_queue_full;
        warnings.warn("503 on channel " + ch.cfg.name + " (store queue full)",
                      fmt::format("channel {}: {} refused with 503 and Retry-After {} s: {} store writes pending "
                                  "(store.max_queue {}); the provider retries",
                                  ch.cfg.name, what, queue_full_retry_after.count(), pending, cfg.store.max_queue));
        auto res = ch.dialect->failed(req, http::status::service_unavailable, "store busy; retry later");
        res.set(http::field::retry_after, std::to_string(queue_full_retry_after.count()));
        return res;
    }

    asio::awaitable<http_response> receive(http_request req, std::shared_ptr<const routing> rt,
                                           const channel_binding& ch) {
        if (!authorised(req, ch))
            co_return ch.dialect->failed(req, http::status::unauthorized, "missing or wrong secret");
        auto sms = ch.dialect->parse_inbound(req, ch.settings);
        if (!sms) {
            ++counters.bad_requests[ch.cfg.name];
            warnings.warn("400 on channel " + ch.cfg.name,
                          fmt::format("channel {}: malformed request refused: {}", ch.cfg.name, sms.error().reason));
            co_return ch.dialect->failed(req, sms.error());
        }
        inbound in;
        in.channel = ch.cfg.name;
        if (!sms->provider_id.empty())
            in.provider_id = sms->provider_id;
        in.from = sms->from;
        in.to = sms->to;
        in.text = sms->text;
        if (sms->observed_at)
            in.observed_at = std::chrono::time_point_cast<std::chrono::milliseconds>(*sms->observed_at);
        if (!store_ready) {
            ++counters.store_failures;
            co_return ch.dialect->failed(req, http::status::service_unavailable, "message not stored; retry later");
        }
        if (auto busy = refuse_when_full(req, ch, "message"))
            co_return std::move(*busy);
        const auto now = opts.clock();
        intake_outcome out;
        // A reply the provider's answer cannot carry goes out through the outbox (outbox_reply.hpp).
        const bool reply_later = !ch.dialect->replies_in_answer();
        bool reply_queued = false;
        try {
            // A named job, not a temporary in the co_await expression (see store_client.hpp).
            auto job = [in, rt, now, reply_later](store::connection& db) {
                return take_in_replying(db, in, *rt->lex, rt->intake, now, reply_later);
            };
            auto taken = co_await run_in_store(*writer, std::move(job));
            out = std::move(taken.out);
            reply_queued = taken.reply_outbox.has_value();
        } catch (const std::exception& e) {
            ++counters.store_failures;
            warnings.warn("503 on channel " + ch.cfg.name + " (messages not stored)",
                          fmt::format("channel {}: message from {} NOT stored, provider told to retry (503): {}",
                                      ch.cfg.name, mask_phone(in.from), e.what()),
                          spdlog::level::err);
            co_return ch.dialect->failed(req, http::status::service_unavailable, "message not stored; retry later");
        }
        if (out.alert || reply_queued)
            wake_sender();
        api->message_stored();
        const std::string_view status = store::to_string(out.status);
        ++counters.messages[{ch.cfg.name, std::string(status)}];
        spdlog::info("channel {}: message #{} from {} {} {}{}", ch.cfg.name, out.message_id, mask_phone(in.from),
                     status, out.form ? parser::canonical_keyword(*out.form) : "-",
                     out.repeat ? " (provider retry, answered as before)" : "");
        spdlog::debug("channel {}: message #{} text: {} | reply: {}", ch.cfg.name, out.message_id, in.text, out.reply);
        co_return ch.dialect->stored(req, out.message_id, status, out.reply);
    }

    // /channels/{name}/ussd and /ussd/end: the dialect reads the request, the desk does the rest.
    asio::awaitable<http_response> ussd_step(http_request req, std::shared_ptr<const routing> rt,
                                             const channel_binding& ch) {
        if (!authorised(req, ch))
            co_return ch.dialect->failed(req, http::status::unauthorized, "missing or wrong secret");
        auto step = ch.dialect->parse_ussd(req, ch.settings);
        if (!step) {
            ++counters.bad_requests[ch.cfg.name];
            co_return ch.dialect->failed(req, step.error());
        }
        if (!store_ready)
            co_return ch.dialect->failed(req, http::status::service_unavailable, "not ready; retry later");
        if (auto busy = refuse_when_full(req, ch, "USSD step"))
            co_return std::move(*busy);
        const adapters::ussd_request r = *step; // named: see store_client.hpp
        auto res = co_await ussd->step(req, r, ch, rt, opts.clock());
        api->message_stored(); // a step may have stored a report: the live log reads again
        co_return res;
    }

    asio::awaitable<http_response> ussd_end(http_request req, const channel_binding& ch) {
        if (!authorised(req, ch))
            co_return ch.dialect->failed(req, http::status::unauthorized, "missing or wrong secret");
        auto notice = ch.dialect->parse_ussd_end(req, ch.settings);
        if (!notice) {
            ++counters.bad_requests[ch.cfg.name];
            co_return ch.dialect->failed(req, notice.error());
        }
        if (auto busy = refuse_when_full(req, ch, "USSD end notice"))
            co_return std::move(*busy);
        const adapters::ussd_session_end e = *notice;
        co_return co_await ussd->end(req, e, opts.clock());
    }

    asio::awaitable<http_response> status(http_request req, const channel_binding& ch) {
        if (!authorised(req, ch))
            co_return ch.dialect->failed(req, http::status::unauthorized, "missing or wrong secret");
        auto report = ch.dialect->parse_status(req, ch.settings);
        if (!report) {
            ++counters.bad_requests[ch.cfg.name];
            co_return ch.dialect->failed(req, report.error());
        }
        if (auto busy = refuse_when_full(req, ch, "delivery report"))
            co_return std::move(*busy);
        const auto now = opts.clock();
        const adapters::delivery_report r = *report;
        auto job = [r, now](store::connection& db) { return record_delivery_report(db, r, now); };
        std::string state;
        try {
            state = co_await run_in_store(*writer, std::move(job));
        } catch (const std::exception& e) {
            ++counters.store_failures;
            warnings.warn("503 on channel " + ch.cfg.name + " (delivery reports not stored)",
                          fmt::format("channel {}: delivery report not stored (503): {}", ch.cfg.name, e.what()),
                          spdlog::level::err);
            co_return ch.dialect->failed(req, http::status::service_unavailable, "report not stored; retry later");
        }
        spdlog::info("channel {}: delivery report for outbox #{}: {} -> {}", ch.cfg.name,
                     report->outbox_id.value_or(0), adapters::delivery_state_name(report->state), state);
        // Unknown ids are acknowledged too: a provider must not retry a report forever.
        co_return plain(req, http::status::ok, "ok\n");
    }

    void begin_stop() {
        if (stopping)
            return;
        stopping = true;
        spdlog::info("stopping: no new connections; finishing {} open", server->connections());
        server->cancel();
        api->stop();
        sender->stop();
        ticker.cancel();
        store_retry.cancel();
        store_watch.cancel();
        warnings_timer.cancel();
        boost::system::error_code ignored;
        signals.cancel(ignored);
        grace.expires_after(cfg.server.shutdown_grace);
        grace.async_wait([this](boost::system::error_code ec) {
            if (!ec) {
                spdlog::warn("stopping: grace period over, closing the remaining connections");
                io.stop();
            }
        });
    }

    void wait_for_signal() {
        signals.async_wait([this](boost::system::error_code ec, int sig) {
            if (ec)
                return;
            if (sig == SIGHUP) {
                reload();
                wait_for_signal();
                return;
            }
            spdlog::info("signal {}: stopping gracefully", sig);
            begin_stop();
        });
    }

    void reloaded(bool applied) {
        if (applied)
            ++counters.reloads;
        else
            ++counters.reload_failures;
        if (opts.on_reload)
            opts.on_reload(applied);
    }

    // I/O thread.
    void reload() {
        if (opts.config_path.empty()) {
            spdlog::warn("reload: no configuration file to read");
            return;
        }
        config::load_result r = config::load_config(opts.config_path);
        if (!r.config) {
            for (const auto& p : r.problems)
                if (p.level == config::severity::error)
                    spdlog::error("reload refused: {}", config::format_problem(p));
            spdlog::error("reload refused: {} is not valid; the running configuration stays",
                          opts.config_path.string());
            reloaded(false);
            return;
        }
        auto next = std::make_shared<config::gateway_config>(std::move(*r.config));
        next->store = cfg.store;                 // the store stays as started
        next->server.listen = cfg.server.listen; // and so does the listener
        asio::co_spawn(
            io,
            [this, next]() -> asio::awaitable<void> {
                auto job = registry_sync_job(*next, opts.config_path.string(), opts.clock());
                const synced_registry held = co_await run_in_store(*writer, std::move(job));
                const store::registry_changes& changes = held.changes;
                std::vector<std::string> removed_channels;
                for (const auto& ch : cfg.channels)
                    if (next->find_channel(ch.name) == nullptr)
                        removed_channels.push_back(ch.name);
                routes = routing_of(*next, held);
                api_cfg.reset();
                sender->reconfigure(outbound_channels_of(*next, io.get_executor()), next->alerts.retry_base,
                                    next->alerts.retry_cap);
                // The listener, the store and the timeouts stay as started; the rest is new.
                cfg.sites = next->sites;
                cfg.teams = next->teams;
                cfg.coordinators = next->coordinators;
                cfg.reporters = next->reporters;
                cfg.alerts = next->alerts;
                cfg.language = next->language;
                cfg.channels = next->channels;
                cfg.ussd = next->ussd;
                ussd->reconfigure(cfg.ussd);
                spdlog::info("reloaded {}: {} sites, {} teams, {} reporters{}", opts.config_path.string(),
                             changes.active_sites.size(), next->teams.size(), cfg.reporters.size(),
                             reload_summary(removed_channels, changes));
                reloaded(true);
            },
            [this](std::exception_ptr e) {
                if (!e)
                    return;
                try {
                    std::rethrow_exception(e);
                } catch (const registry_refused& refused) {
                    for (const auto& p : refused.problems)
                        spdlog::error("reload refused: {}", config::format_problem(p));
                    spdlog::error("reload refused: {} is not valid with this store; the running configuration stays",
                                  opts.config_path.string());
                } catch (const std::exception& ex) {
                    spdlog::error("reload failed, the previous configuration stays: {}", ex.what());
                }
                reloaded(false);
            });
    }
};

daemon::daemon(config::gateway_config cfg, daemon_options options)
    : p_(std::make_unique<impl>(std::move(cfg), std::move(options))) {}

daemon::~daemon() {
    if (p_ && p_->reader)
        p_->reader->stop();
    if (p_ && p_->writer)
        p_->writer->stop();
}

tcp::endpoint daemon::local_endpoint() const { return p_->server->local_endpoint(); }

void daemon::run() {
    impl& p = *p_;
    if (p.opts.handle_signals) {
        p.signals.add(SIGINT);
        p.signals.add(SIGTERM);
        p.signals.add(SIGHUP);
        p.wait_for_signal();
    }
    if (!p.opts.read_only_store) {
        if (p.store_ready)
            p.start_store_runners();
        else
            asio::co_spawn(p.io, p.prepare_store(), impl::log_escape("store start-up"));
        asio::co_spawn(p.io, p.watch_store(), impl::log_escape("store watch"));
    }
    asio::co_spawn(p.io, p.flush_warnings(), impl::log_escape("warning summary"));
    asio::co_spawn(p.io, p.server->run(), [&p](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                spdlog::error("listener failed: {}", ex.what());
            }
        }
        p.grace.cancel();
        boost::system::error_code ignored;
        p.signals.cancel(ignored);
    });
    p.io.run();
    p.reader->stop();
    p.writer->stop(); // flushes what is queued; nothing acknowledged is lost either way
    spdlog::info("stopped");
}

void daemon::stop() {
    asio::post(p_->io, [p = p_.get()] { p->begin_stop(); });
}

void daemon::reload() {
    asio::post(p_->io, [p = p_.get()] { p->reload(); });
}

} // namespace kharuul::gateway

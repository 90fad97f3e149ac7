#include "gateway/metrics.hpp"

#include "store/alerts.hpp"
#include "store/outbox.hpp"

#include <sstream>

namespace kharuul::gateway {

namespace {

std::string escape_label(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

template <class Bounds, class Buckets>
void histogram(std::ostream& o, std::string_view name, std::string_view help, const Bounds& bounds,
               const Buckets& buckets, double sum, std::uint64_t count) {
    o << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " histogram\n";
    for (std::size_t i = 0; i < bounds.size(); ++i)
        o << name << "_bucket{le=\"" << bounds[i] << "\"} " << buckets[i] << '\n';
    o << name << "_bucket{le=\"+Inf\"} " << buckets[bounds.size()] << '\n';
    o << name << "_sum " << sum << '\n' << name << "_count " << count << '\n';
}

} // namespace

store_figures store_figures_of(store::connection& db) {
    store_figures f;
    for (const auto& [state, n] : store::outbox_counts(db))
        f.outbox[std::string(store::to_string(state))] = n;
    f.open_alerts = store::count_open_alerts(db);
    return f;
}

std::string render_metrics(const metrics& m, const store::writer_stats& w) {
    std::ostringstream o;
    o << "# HELP kharuul_messages_total Inbound messages stored, by channel and status.\n"
         "# TYPE kharuul_messages_total counter\n";
    for (const auto& [key, n] : m.messages)
        o << "kharuul_messages_total{channel=\"" << escape_label(key.first) << "\",status=\""
          << escape_label(key.second) << "\"} " << n << '\n';
    o << "# HELP kharuul_unauthorized_total Requests refused for a missing or wrong secret.\n"
         "# TYPE kharuul_unauthorized_total counter\n";
    for (const auto& [ch, n] : m.unauthorized)
        o << "kharuul_unauthorized_total{channel=\"" << escape_label(ch) << "\"} " << n << '\n';
    o << "# HELP kharuul_bad_requests_total Malformed provider requests (answered 4xx).\n"
         "# TYPE kharuul_bad_requests_total counter\n";
    for (const auto& [ch, n] : m.bad_requests)
        o << "kharuul_bad_requests_total{channel=\"" << escape_label(ch) << "\"} " << n << '\n';
    o << "# HELP kharuul_outbound_attempts_total Sends to the outbound channel, by outcome.\n"
         "# TYPE kharuul_outbound_attempts_total counter\n";
    for (const auto& [outcome, n] : m.sends)
        o << "kharuul_outbound_attempts_total{outcome=\"" << escape_label(outcome) << "\"} " << n << '\n';
    o << "# HELP kharuul_outbox_messages Outbound messages (alerts, replies, reminders) by state.\n"
         "# TYPE kharuul_outbox_messages gauge\n";
    for (const auto& [state, n] : m.outbox)
        o << "kharuul_outbox_messages{state=\"" << escape_label(state) << "\"} " << n << '\n';
    o << "# HELP kharuul_alerts_open Alerts nobody has acknowledged yet.\n# TYPE kharuul_alerts_open gauge\n"
         "kharuul_alerts_open "
      << m.open_alerts << '\n';
    o << "# HELP kharuul_store_failures_total Inbound requests answered 503 because the store could not write.\n"
         "# TYPE kharuul_store_failures_total counter\nkharuul_store_failures_total "
      << m.store_failures << '\n';
    o << "# HELP kharuul_http_open_connections Connections being served.\n"
         "# TYPE kharuul_http_open_connections gauge\nkharuul_http_open_connections "
      << m.open_connections << '\n';
    o << "# HELP kharuul_reloads_total Configuration reloads (SIGHUP), by result.\n"
         "# TYPE kharuul_reloads_total counter\nkharuul_reloads_total{result=\"ok\"} "
      << m.reloads << "\nkharuul_reloads_total{result=\"failed\"} " << m.reload_failures << '\n';
    o << "# HELP kharuul_store_queue_depth Writes waiting for the store thread.\n"
         "# TYPE kharuul_store_queue_depth gauge\nkharuul_store_queue_depth "
      << w.queue_depth << '\n';
    o << "# HELP kharuul_store_pending Store jobs queued or in the batch being written.\n"
         "# TYPE kharuul_store_pending gauge\nkharuul_store_pending "
      << w.pending << '\n';
    o << "# HELP kharuul_store_max_queue Pending store jobs at which inbound requests are answered 503 "
         "(store.max_queue).\n# TYPE kharuul_store_max_queue gauge\nkharuul_store_max_queue "
      << m.max_queue << '\n';
    o << "# HELP kharuul_store_rejected_total Inbound requests answered 503 with Retry-After without being "
         "submitted to the store, by reason.\n# TYPE kharuul_store_rejected_total counter\n"
         "kharuul_store_rejected_total{reason=\"queue_full\"} "
      << m.rejected_queue_full << '\n';
    o << "# HELP kharuul_store_jobs_total Store writes by result.\n# TYPE kharuul_store_jobs_total counter\n"
      << "kharuul_store_jobs_total{result=\"committed\"} " << w.jobs_committed << '\n'
      << "kharuul_store_jobs_total{result=\"failed\"} " << w.jobs_failed << '\n';
    histogram(o, "kharuul_store_batch_size", "Writes committed per transaction (group commit).",
              store::batch_size_bounds, w.batch_size_buckets, static_cast<double>(w.batch_size_sum),
              w.batch_size_buckets.back());
    histogram(o, "kharuul_store_commit_seconds", "Time to commit a batch durably (fsync).",
              store::commit_seconds_bounds, w.commit_seconds_buckets, w.commit_seconds_sum, w.commit_count);
    return o.str();
}

} // namespace kharuul::gateway

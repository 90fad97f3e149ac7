#include "gateway/case_cap.hpp"

#include "alerts/alert_text.hpp"
#include "store/cases.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"

namespace kharuul::gateway {

namespace {

// The start of `now`'s day in the deployment's time zone, as a UTC instant.
store::timestamp local_midnight(store::timestamp now, std::chrono::minutes utc_offset) {
    const auto local = now + utc_offset;
    return std::chrono::floor<std::chrono::days>(local) - utc_offset;
}

} // namespace

case_cap_verdict check_case_cap(store::connection& db, const std::string& sender, int children, int cap,
                                std::int64_t message_id, store::timestamp now, std::chrono::minutes utc_offset) {
    case_cap_verdict v;
    v.children = store::children_opened_since(db, sender, now - std::chrono::hours{1});
    v.over = v.children + children > cap;
    if (!v.over)
        return v;
    const std::string_view error = too_many_cases_error;
    v.answer = !store::has_error_since(db, sender, error, now - std::chrono::hours{1}, message_id, true);
    v.tell_coordinators = !store::has_error_since(db, sender, error, local_midnight(now, utc_offset), message_id, false);
    return v;
}

std::size_t tell_coordinators_of_cap(store::connection& db, const alert_settings& s, const std::string& sender,
                                     int children, int cap, std::int64_t message_id, store::timestamp now) {
    std::string name;
    if (auto r = store::find_reporter(db, sender))
        name = r->name;
    std::size_t queued = 0;
    for (const auto& co : s.coordinators)
        if (queue_sms(db, s, co.phone, alerts::case_cap_notice(name, sender, children, cap, co.lang),
                      store::outbox_kind::notice, std::nullopt, message_id, now))
            ++queued;
    return queued;
}

} // namespace kharuul::gateway

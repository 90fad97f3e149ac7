#include "store/records.hpp"

#include "store/binding.hpp"

#include <array>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace kharuul::store {
namespace {

using namespace binding;

constexpr std::array<std::string_view, 2> kind_names{"sms", "ussd"};
constexpr std::array<std::string_view, 5> status_names{"received", "accepted", "rejected", "duplicate",
                                                        "unregistered"};

#define KHARUUL_MESSAGE_COLUMNS                                                                          \
    "id, kind, channel, provider_id, sender, recipient, text, received_at, observed_at, status, form, " \
    "error_code, duplicate_of, reply, reply_lang, duplicate_key, dialogue"

#define KHARUUL_EVENT_COLUMNS                                                                             \
    "id, message_id, form, reporter, site, case_code, boys, girls, unknown, age_min, age_max, work, "     \
    "hazards, status, service, outcome, reason, note, urgent, sensitive, occurred_at, target, category, "     \
    "for_family, into_case"

std::optional<parser::form> opt_form(const SQLite::Statement& s, int column)
{
    if (s.isColumnNull(column))
        return std::nullopt;
    return parser::form_from_canonical(s.getColumn(column).getString());
}

message_record read_message(const SQLite::Statement& s)
{
    message_record m;
    m.id = s.getColumn(0).getInt64();
    m.kind = message_kind_from(s.getColumn(1).getString()).value_or(message_kind::sms);
    m.channel = text(s, 2);
    m.provider_id = opt_text(s, 3);
    m.sender = text(s, 4);
    m.recipient = text(s, 5);
    m.text = text(s, 6);
    m.received_at = time(s, 7);
    m.observed_at = opt_time(s, 8);
    m.status = message_status_from(s.getColumn(9).getString()).value_or(message_status::received);
    m.form = opt_form(s, 10);
    m.error_code = opt_text(s, 11);
    m.duplicate_of = opt_int64(s, 12);
    m.reply = opt_text(s, 13);
    m.reply_lang = opt_text(s, 14);
    m.duplicate_key = opt_text(s, 15);
    m.dialogue = opt_text(s, 16);
    return m;
}

event_record read_event(const SQLite::Statement& s)
{
    event_record e;
    e.id = s.getColumn(0).getInt64();
    e.message_id = s.getColumn(1).getInt64();
    e.form = parser::form_from_canonical(s.getColumn(2).getString()).value_or(parser::form::help);
    e.reporter = text(s, 3);
    e.site = opt_text(s, 4);
    e.case_code = opt_text(s, 5);
    e.boys = opt_int(s, 6);
    e.girls = opt_int(s, 7);
    e.unknown = opt_int(s, 8);
    e.age_min = opt_int(s, 9);
    e.age_max = opt_int(s, 10);
    e.work = opt_text(s, 11);
    e.hazards = split_codes(opt_text(s, 12).value_or(""));
    e.status = opt_text(s, 13);
    e.service = opt_text(s, 14);
    e.outcome = opt_text(s, 15);
    e.reason = opt_text(s, 16);
    e.note = opt_text(s, 17);
    e.urgent = s.getColumn(18).getInt() != 0;
    e.sensitive = s.getColumn(19).getInt() != 0;
    e.occurred_at = time(s, 20);
    e.target = opt_text(s, 21);
    e.category = opt_text(s, 22);
    if (auto f = opt_int(s, 23))
        e.for_family = *f != 0;
    e.into_case = opt_text(s, 24);
    return e;
}

std::optional<std::string> opt_form_text(const std::optional<parser::form>& f)
{
    if (!f)
        return std::nullopt;
    return std::string(parser::canonical_keyword(*f));
}

} // namespace

std::string_view to_string(message_kind k) noexcept { return kind_names[static_cast<std::size_t>(k)]; }
std::string_view to_string(message_status s) noexcept { return status_names[static_cast<std::size_t>(s)]; }

std::optional<message_kind> message_kind_from(std::string_view s) noexcept
{
    return from_name<message_kind>(kind_names, s);
}

std::optional<message_status> message_status_from(std::string_view s) noexcept
{
    return from_name<message_status>(status_names, s);
}

std::string join_codes(const std::vector<std::string>& codes)
{
    std::string out;
    for (const auto& c : codes) {
        if (!out.empty())
            out += ' ';
        out += c;
    }
    return out;
}

std::vector<std::string> split_codes(std::string_view joined)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < joined.size()) {
        while (i < joined.size() && joined[i] == ' ')
            ++i;
        const std::size_t start = i;
        while (i < joined.size() && joined[i] != ' ')
            ++i;
        if (i > start)
            out.emplace_back(joined.substr(start, i - start));
    }
    return out;
}

result<std::int64_t> insert_message(connection& db, const new_message& m)
{
    // ON CONFLICT names the (channel, provider_id) index only: any other constraint still throws.
    statement_use s(db.prepared(
        "INSERT INTO messages (kind, channel, provider_id, sender, recipient, text, received_at, observed_at, "
        "dialogue) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (channel, provider_id) DO NOTHING"));
    bind_text(*s, 1, to_string(m.kind));
    s->bind(2, m.channel);
    bind_value(*s, 3, m.provider_id);
    s->bind(4, m.sender);
    s->bind(5, m.recipient);
    s->bind(6, m.text);
    bind_value(*s, 7, m.received_at);
    bind_value(*s, 8, m.observed_at);
    bind_value(*s, 9, m.dialogue);
    if (s->exec() == 0)
        return make_error_code(errc::duplicate_provider_id);
    return db.getLastInsertRowid();
}

std::optional<message_record> find_message(connection& db, std::int64_t id)
{
    statement_use s(db.prepared("SELECT " KHARUUL_MESSAGE_COLUMNS " FROM messages WHERE id = ?1"));
    s->bind(1, id);
    if (!s->executeStep())
        return std::nullopt;
    return read_message(*s);
}

std::optional<message_record> find_message_by_provider_id(connection& db, std::string_view channel,
                                                          std::string_view provider_id)
{
    statement_use s(db.prepared("SELECT " KHARUUL_MESSAGE_COLUMNS
                                " FROM messages WHERE channel = ?1 AND provider_id = ?2"));
    bind_text(*s, 1, channel);
    bind_text(*s, 2, provider_id);
    if (!s->executeStep())
        return std::nullopt;
    return read_message(*s);
}

std::optional<message_record> find_processed_duplicate(connection& db, std::string_view sender,
                                                       std::string_view key, std::string_view text_,
                                                       timestamp since, timestamp until, std::int64_t except)
{
    // Through messages_by_sender_key; the raw text of a message stored before schema 6 through
    // messages_by_sender_text. Each one indexed lookup.
    static constexpr const char* by_key =
        "SELECT " KHARUUL_MESSAGE_COLUMNS " FROM messages WHERE sender = ?1 AND duplicate_key = ?2"
        " AND received_at BETWEEN ?3 AND ?4 AND id <> ?5 AND status = 'accepted'"
        " ORDER BY received_at, id LIMIT 1";
    static constexpr const char* by_text =
        "SELECT " KHARUUL_MESSAGE_COLUMNS " FROM messages WHERE sender = ?1 AND text = ?2"
        " AND received_at BETWEEN ?3 AND ?4 AND id <> ?5 AND status = 'accepted' AND duplicate_key IS NULL"
        " ORDER BY received_at, id LIMIT 1";
    std::optional<message_record> found;
    for (const auto& [sql, value] : {std::pair{by_key, key}, std::pair{by_text, text_}}) {
        statement_use s(db.prepared(sql));
        bind_text(*s, 1, sender);
        bind_text(*s, 2, value);
        bind_value(*s, 3, since);
        bind_value(*s, 4, until);
        s->bind(5, except);
        if (s->executeStep()) {
            message_record m = read_message(*s);
            if (!found || m.received_at < found->received_at)
                found = std::move(m);
        }
    }
    return found;
}

bool has_error_since(connection& db, std::string_view sender, std::string_view error_code, timestamp since,
                     std::int64_t except, bool answered)
{
    statement_use s(db.prepared("SELECT EXISTS (SELECT 1 FROM messages WHERE sender = ?1 AND received_at >= ?2"
                                " AND error_code = ?3 AND id <> ?4 AND (?5 = 0 OR COALESCE(reply, '') <> ''))"));
    bind_text(*s, 1, sender);
    bind_value(*s, 2, since);
    bind_text(*s, 3, error_code);
    s->bind(4, except);
    s->bind(5, answered ? 1 : 0);
    return s->executeStep() && s->getColumn(0).getInt() != 0;
}

result<void> set_message_outcome(connection& db, std::int64_t id, const message_outcome& o)
{
    statement_use s(db.prepared("UPDATE messages SET status = ?1, form = ?2, error_code = ?3, duplicate_of = ?4,"
                                " reply = ?5, reply_lang = ?6, duplicate_key = ?8 WHERE id = ?7"));
    bind_text(*s, 1, to_string(o.status));
    bind_value(*s, 2, opt_form_text(o.form));
    bind_value(*s, 3, o.error_code);
    bind_value(*s, 4, o.duplicate_of);
    bind_value(*s, 5, o.reply);
    bind_value(*s, 6, o.reply_lang);
    s->bind(7, id);
    bind_value(*s, 8, o.duplicate_key);
    if (s->exec() == 0)
        return make_error_code(errc::unknown_message);
    return {};
}

new_event make_event(const parser::sms_message& m, std::int64_t message_id, std::string reporter,
                     timestamp occurred_at)
{
    new_event e;
    e.message_id = message_id;
    e.form = m.kind;
    e.reporter = std::move(reporter);
    e.note = m.note;
    e.urgent = m.urgent;
    e.sensitive = m.sensitive;
    e.occurred_at = occurred_at;
    std::visit(
        [&e](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, parser::sighting>) {
                e.site = body.site;
                e.boys = body.kids.boys;
                e.girls = body.kids.girls;
                e.unknown = body.kids.unknown;
                e.age_min = body.age_min;
                e.age_max = body.age_max;
                e.work = body.work;
                e.hazards = body.hazards;
            } else if constexpr (std::is_same_v<T, parser::nil_visit>) {
                e.site = body.site;
            } else if constexpr (std::is_same_v<T, parser::risk_report>) {
                e.site = body.site;
                e.boys = body.kids.boys;
                e.girls = body.kids.girls;
                e.unknown = body.kids.unknown;
                e.age_min = body.age_min;
                e.age_max = body.age_max;
                e.reason = body.reason;
            } else if constexpr (std::is_same_v<T, parser::tracking>) {
                e.case_code = body.case_code;
                e.status = body.codes.empty() ? body.status : join_codes(body.codes);
            } else if constexpr (std::is_same_v<T, parser::referral>) {
                e.case_code = body.case_code;
                e.service = body.service;
            } else if constexpr (std::is_same_v<T, parser::service_delivery>) {
                e.case_code = body.case_code;
                e.service = body.service;
                e.for_family = body.family;
            } else if constexpr (std::is_same_v<T, parser::verification>) {
                e.case_code = body.case_code;
                e.outcome = body.confirmed ? "OK" : "NO";
                if (!body.reason.empty())
                    e.reason = body.reason;
            } else if constexpr (std::is_same_v<T, parser::assessment>) {
                e.case_code = body.case_code;
                e.target = std::string(1, body.target);
                if (!body.category.empty())
                    e.category = body.category;
            } else if constexpr (std::is_same_v<T, parser::outcome_check>) {
                e.case_code = body.case_code;
                e.outcome = body.result;
            } else if constexpr (std::is_same_v<T, parser::merger>) {
                e.case_code = body.case_code;
                e.into_case = body.into;
            } else if constexpr (std::is_same_v<T, parser::closure>) {
                e.case_code = body.case_code;
                e.reason = body.reason;
            }
        },
        m.body);
    return e;
}

std::int64_t insert_event(connection& db, const new_event& e)
{
    statement_use s(db.prepared(
        "INSERT INTO events (message_id, form, reporter, site, case_code, boys, girls, unknown, age_min,"
        " age_max, work, hazards, status, service, outcome, reason, note, urgent, sensitive, occurred_at,"
        " target, category, for_family, into_case, received_at)"
        " VALUES (?1, ?2, ?3, COALESCE(?4, (SELECT site FROM cases WHERE code = ?5)), ?5, ?6, ?7, ?8, ?9,"
        " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,"
        " (SELECT received_at FROM messages WHERE id = ?1))"));
    s->bind(1, e.message_id);
    bind_text(*s, 2, parser::canonical_keyword(e.form));
    s->bind(3, e.reporter);
    bind_value(*s, 4, e.site);
    bind_value(*s, 5, e.case_code);
    bind_value(*s, 6, e.boys);
    bind_value(*s, 7, e.girls);
    bind_value(*s, 8, e.unknown);
    bind_value(*s, 9, e.age_min);
    bind_value(*s, 10, e.age_max);
    bind_value(*s, 11, e.work);
    // ID stores "" for "no hazards seen"; other forms carry no hazards at all (NULL).
    if (e.form == parser::form::id || !e.hazards.empty())
        s->bind(12, join_codes(e.hazards));
    else
        s->bind(12);
    bind_value(*s, 13, e.status);
    bind_value(*s, 14, e.service);
    bind_value(*s, 15, e.outcome);
    bind_value(*s, 16, e.reason);
    bind_value(*s, 17, e.note);
    s->bind(18, e.urgent ? 1 : 0);
    s->bind(19, e.sensitive ? 1 : 0);
    bind_value(*s, 20, e.occurred_at);
    bind_value(*s, 21, e.target);
    bind_value(*s, 22, e.category);
    if (e.for_family)
        s->bind(23, *e.for_family ? 1 : 0);
    else
        s->bind(23);
    bind_value(*s, 24, e.into_case);
    s->exec();
    return db.getLastInsertRowid();
}

std::vector<event_record> events_of_message(connection& db, std::int64_t message_id)
{
    statement_use s(db.prepared("SELECT " KHARUUL_EVENT_COLUMNS " FROM events WHERE message_id = ?1 ORDER BY id"));
    s->bind(1, message_id);
    return read_rows(*s, read_event);
}

message_totals count_messages(connection& db)
{
    statement_use s(db.prepared("SELECT COUNT(*), MAX(received_at) FROM messages"));
    message_totals t;
    if (s->executeStep()) {
        t.count = static_cast<std::size_t>(s->getColumn(0).getInt64());
        t.latest = opt_time(*s, 1);
    }
    return t;
}

std::vector<message_record> export_messages(connection& db, const time_range& range)
{
    return read_rows_in_range(db, "SELECT " KHARUUL_MESSAGE_COLUMNS " FROM messages", "received_at", range, "id",
                              read_message);
}

std::vector<event_record> export_events(connection& db, const time_range& range)
{
    return read_rows_in_range(db, "SELECT " KHARUUL_EVENT_COLUMNS " FROM events", "occurred_at", range, "id",
                              read_event);
}

std::vector<event_record> query_events(connection& db, const event_filter& f)
{
    std::string sql = "SELECT " KHARUUL_EVENT_COLUMNS " FROM events WHERE 1 = 1";
    if (f.site)
        sql += " AND site = :site";
    if (f.case_code)
        sql += " AND case_code = :case";
    if (f.form)
        sql += " AND form = :form";
    if (f.range.since)
        sql += " AND occurred_at >= :since";
    if (f.range.until)
        sql += " AND occurred_at < :until";
    if (f.before_id)
        sql += " AND id < :before";
    sql += " ORDER BY id DESC LIMIT :limit";
    SQLite::Statement s(db, sql);
    if (f.site)
        s.bind(":site", *f.site);
    if (f.case_code)
        s.bind(":case", *f.case_code);
    if (f.form)
        s.bind(":form", std::string(parser::canonical_keyword(*f.form)));
    if (f.range.since)
        s.bind(":since", to_unix_ms(*f.range.since));
    if (f.range.until)
        s.bind(":until", to_unix_ms(*f.range.until));
    if (f.before_id)
        s.bind(":before", *f.before_id);
    s.bind(":limit", static_cast<std::int64_t>(f.limit));
    return read_rows(s, read_event);
}

} // namespace kharuul::store

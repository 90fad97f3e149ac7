#include "store/migrations.hpp"

#include "store/cases.hpp"

#include <array>

namespace kharuul::store {
namespace {

// Version 1: messages, events, cases with their append-only history, and the registry.
// STRICT tables: a value of the wrong type is an error, not silently stored.
// Times are unix milliseconds. Phones are stored as given (E.164 by the gateway's adapters).
constexpr const char* schema_1 = R"sql(
CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('sms', 'ussd')),
    channel      TEXT    NOT NULL,
    provider_id  TEXT,
    sender       TEXT    NOT NULL,
    recipient    TEXT    NOT NULL,
    text         TEXT    NOT NULL,   -- raw, as received
    received_at  INTEGER NOT NULL,
    observed_at  INTEGER,
    status       TEXT    NOT NULL DEFAULT 'received'
                 CHECK (status IN ('received', 'accepted', 'rejected', 'duplicate', 'unregistered')),
    form         TEXT,               -- canonical keyword, NULL when none was recognised
    error_code   TEXT,               -- parser or store error code, NULL when accepted
    duplicate_of INTEGER REFERENCES messages (id),
    reply        TEXT,
    reply_lang   TEXT,
    UNIQUE (channel, provider_id)    -- NULL provider ids are all distinct
) STRICT;
CREATE INDEX messages_by_sender ON messages (sender, received_at);
CREATE INDEX messages_by_received ON messages (received_at);

CREATE TABLE sites (
    code TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sites_by_area ON sites (area);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES messages (id),
    form        TEXT    NOT NULL,
    reporter    TEXT    NOT NULL,    -- phone
    site        TEXT,
    case_code   TEXT,                -- TR, REF, VER, CLOSE
    boys        INTEGER,
    girls       INTEGER,
    unknown     INTEGER,
    age_min     INTEGER,
    age_max     INTEGER,
    work        TEXT,
    hazards     TEXT,                -- space-separated codes
    status      TEXT,                -- TR
    service     TEXT,                -- REF
    outcome     TEXT,                -- VER: OK or NO
    reason      TEXT,                -- CLOSE
    note        TEXT,
    urgent      INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    sensitive   INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    occurred_at INTEGER NOT NULL
) STRICT;
CREATE INDEX events_by_message ON events (message_id);
CREATE INDEX events_by_site ON events (site, occurred_at);
CREATE INDEX events_by_case ON events (case_code);
CREATE INDEX events_by_time ON events (occurred_at);

-- One row per child. The columns after `hazards` are derived from the case's history and kept
-- here so that lists and reminders need no replay; case_history is the record.
CREATE TABLE cases (
    serial           INTEGER PRIMARY KEY CHECK (serial BETWEEN 0 AND 99999),
    code             TEXT    NOT NULL UNIQUE,   -- parser::make_case_code(serial)
    site             TEXT    NOT NULL,
    sex              TEXT    NOT NULL CHECK (sex IN ('B', 'G', 'U')),
    age_min          INTEGER NOT NULL,
    age_max          INTEGER NOT NULL,
    work             TEXT    NOT NULL,
    hazards          TEXT    NOT NULL DEFAULT '',
    sensitive        INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    state            TEXT    NOT NULL DEFAULT 'reported'
                     CHECK (state IN ('reported', 'confirmed', 'not_confirmed', 'closed')),
    work_status      TEXT    NOT NULL DEFAULT 'working'
                     CHECK (work_status IN ('working', 'not_working', 'unknown')),
    school_status    TEXT    NOT NULL DEFAULT 'unknown'
                     CHECK (school_status IN ('school', 'nfe', 'kg', 'none', 'unknown')),
    last_status      TEXT,               -- the last TR code
    last_service     TEXT,               -- the last REF code
    verified_status  TEXT,               -- last_status when a team last said VER OK
    verified_at      INTEGER,
    close_reason     TEXT,
    opened_event_id  INTEGER NOT NULL REFERENCES events (id),
    opened_by        TEXT    NOT NULL,   -- phone
    opened_at        INTEGER NOT NULL,
    last_tracked_at  INTEGER NOT NULL,   -- opened_at until the first TR
    last_followed_by TEXT    NOT NULL    -- phone; opened_by until someone else follows it
) STRICT;
CREATE INDEX cases_by_opener ON cases (opened_by);
CREATE INDEX cases_by_follower ON cases (last_followed_by);
CREATE INDEX cases_by_site ON cases (site, state);
CREATE INDEX cases_by_last_tracked ON cases (state, last_tracked_at);
CREATE INDEX cases_by_opened_at ON cases (opened_at);

-- The audit trail of every case (domain.md 6.6): rows are only ever added.
CREATE TABLE case_history (
    id          INTEGER PRIMARY KEY,
    case_serial INTEGER NOT NULL REFERENCES cases (serial),
    message_id  INTEGER REFERENCES messages (id),
    event_id    INTEGER REFERENCES events (id),
    actor       TEXT    NOT NULL,        -- phone, or "cli:<user>" for command-line changes
    action      TEXT    NOT NULL,        -- opened, tracked, referred, verified, not_confirmed, closed
    detail      TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL
) STRICT;
CREATE INDEX case_history_by_case ON case_history (case_serial, id);
CREATE TRIGGER case_history_is_append_only_update BEFORE UPDATE ON case_history
BEGIN
    SELECT RAISE(ABORT, 'case_history is append-only');
END;
CREATE TRIGGER case_history_is_append_only_delete BEFORE DELETE ON case_history
BEGIN
    SELECT RAISE(ABORT, 'case_history is append-only');
END;

-- The registry, seeded and synced from configuration (store/registry.hpp).
CREATE TABLE teams (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    sensitive_cases INTEGER NOT NULL DEFAULT 0 CHECK (sensitive_cases IN (0, 1))
) STRICT;
CREATE TABLE team_areas (
    team INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    area TEXT    NOT NULL,
    PRIMARY KEY (team, area)
) STRICT;
CREATE INDEX team_areas_by_area ON team_areas (area);
CREATE TABLE team_members (
    team  INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    phone TEXT    NOT NULL,
    name  TEXT    NOT NULL DEFAULT '',
    role  TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'leader')),
    lang  TEXT    NOT NULL DEFAULT 'mn',
    PRIMARY KEY (team, phone)
) STRICT;
CREATE INDEX team_members_by_phone ON team_members (phone);
CREATE TABLE coordinators (
    phone TEXT NOT NULL PRIMARY KEY,
    name  TEXT NOT NULL DEFAULT '',
    lang  TEXT NOT NULL DEFAULT 'mn'
) STRICT;
CREATE TABLE reporters (
    phone      TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL DEFAULT '',
    lang       TEXT    NOT NULL DEFAULT 'mn',
    kind       TEXT    NOT NULL DEFAULT 'volunteer',
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    origin     TEXT    NOT NULL DEFAULT 'cli' CHECK (origin IN ('config', 'cli')),
    created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE reporter_sites (
    phone TEXT NOT NULL REFERENCES reporters (phone) ON DELETE CASCADE,
    site  TEXT NOT NULL REFERENCES sites (code),
    PRIMARY KEY (phone, site)
) STRICT;
)sql";

void apply_schema_1(SQLite::Database& db) { db.exec(schema_1); }

// Version 2: alerts with their recipients and append-only history, the durable outbox with every
// send attempt, and the time of a case's last tracking reminder. Tables are created in the order
// of their references (alerts, outbox, then the tables that point at both).
constexpr const char* schema_2 = R"sql(
-- One row per alert (spec/alerts.md): the id is the number people type in `ACK n`. The columns
-- from `state` on are its acknowledgement and the gateway's escalation machine's state.
CREATE TABLE alerts (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT    NOT NULL CHECK (kind IN ('report', 'tracking')), -- ID; TR WORK/MISS
    site               TEXT    NOT NULL,
    team_id            INTEGER REFERENCES teams (id),
    urgent             INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    sensitive          INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    boys               INTEGER NOT NULL DEFAULT 0,
    girls              INTEGER NOT NULL DEFAULT 0,
    unknown            INTEGER NOT NULL DEFAULT 0,
    age_min            INTEGER,
    age_max            INTEGER,
    work               TEXT,
    hazards            TEXT    NOT NULL DEFAULT '',   -- space-separated codes
    case_codes         TEXT    NOT NULL DEFAULT '',   -- space-separated, folded reports' appended
    tracking_status    TEXT,                          -- tracking alerts: the TR status
    reporter           TEXT    NOT NULL,              -- phone
    message_id         INTEGER NOT NULL REFERENCES messages (id),
    event_id           INTEGER NOT NULL REFERENCES events (id),
    created_at         INTEGER NOT NULL,
    state              TEXT    NOT NULL DEFAULT 'open'
                       CHECK (state IN ('open', 'acknowledged', 'closed')), -- closed: gave up, unacknowledged
    acked_at           INTEGER,
    acked_by           TEXT,                          -- phone
    acked_message_id   INTEGER REFERENCES messages (id),
    level              INTEGER NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 4),
    repeats            INTEGER NOT NULL DEFAULT 0,
    leaders_told       INTEGER NOT NULL DEFAULT 0 CHECK (leaders_told IN (0, 1)),
    coordinators_told  INTEGER NOT NULL DEFAULT 0 CHECK (coordinators_told IN (0, 1)),
    next_escalation_at INTEGER,                       -- NULL: nothing scheduled
    folded_children    INTEGER NOT NULL DEFAULT 0,    -- children of later reports folded in
    last_report_at     INTEGER NOT NULL               -- created_at, then the last folded report
) STRICT;
CREATE INDEX alerts_by_due ON alerts (state, next_escalation_at);
CREATE INDEX alerts_by_site ON alerts (site, state, last_report_at);
CREATE INDEX alerts_by_created ON alerts (created_at);

-- Every outbound SMS, written in the transaction of the event that causes it and sent by the
-- outbound channel afterwards (claim, commit, send, record the outcome).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,             -- phone
    text            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('alert', 'reply', 'reminder', 'notice')),
    alert_id        INTEGER REFERENCES alerts (id),
    message_id      INTEGER REFERENCES messages (id), -- the inbound message a reply answers
    created_at      INTEGER NOT NULL,
    not_before      INTEGER,                      -- send no earlier (daytime reminders)
    state           TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    provider_id     TEXT,
    sent_at         INTEGER,
    delivered_at    INTEGER,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_by_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_alert ON outbox (alert_id) WHERE alert_id IS NOT NULL;
CREATE INDEX outbox_by_provider_id ON outbox (channel, provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX outbox_by_created ON outbox (created_at);

-- What happened to each outbox row and what the provider said: rows are only ever added.
CREATE TABLE outbox_attempts (
    id        INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox (id),
    at        INTEGER NOT NULL,
    outcome   TEXT    NOT NULL
              CHECK (outcome IN ('sent', 'error', 'delivered', 'failed', 'queued', 'interrupted', 'cancelled')),
    detail    TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_attempts_by_outbox ON outbox_attempts (outbox_id, id);
CREATE TRIGGER outbox_attempts_is_append_only_update BEFORE UPDATE ON outbox_attempts
BEGIN
    SELECT RAISE(ABORT, 'outbox_attempts is append-only');
END;
CREATE TRIGGER outbox_attempts_is_append_only_delete BEFORE DELETE ON outbox_attempts
BEGIN
    SELECT RAISE(ABORT, 'outbox_attempts is append-only');
END;

-- Who was told of an alert: one row per person, the latest telling (the history has each one).
CREATE TABLE alert_recipients (
    alert_id  INTEGER NOT NULL REFERENCES alerts (id),
    phone     TEXT    NOT NULL,
    name      TEXT    NOT NULL DEFAULT '',
    role      TEXT    NOT NULL CHECK (role IN ('member', 'leader', 'coordinator')),
    lang      TEXT    NOT NULL DEFAULT 'mn',
    level     INTEGER NOT NULL DEFAULT 0,     -- the escalation level at which they were told
    told_at   INTEGER NOT NULL,
    outbox_id INTEGER REFERENCES outbox (id),
    UNIQUE (alert_id, phone)
) STRICT;
CREATE INDEX alert_recipients_by_phone ON alert_recipients (phone);

-- The audit trail of every alert: rows are only ever added.
CREATE TABLE alert_history (
    id        INTEGER PRIMARY KEY,
    alert_id  INTEGER NOT NULL REFERENCES alerts (id),
    at        INTEGER NOT NULL,
    what      TEXT    NOT NULL,   -- created, folded, told, escalated, repeated, acknowledged, closed,
                                  -- delivered, failed (the gateway may add others)
    phone     TEXT,
    detail    TEXT    NOT NULL DEFAULT '',
    outbox_id INTEGER REFERENCES outbox (id)
) STRICT;
CREATE INDEX alert_history_by_alert ON alert_history (alert_id, id);
CREATE TRIGGER alert_history_is_append_only_update BEFORE UPDATE ON alert_history
BEGIN
    SELECT RAISE(ABORT, 'alert_history is append-only');
END;
CREATE TRIGGER alert_history_is_append_only_delete BEFORE DELETE ON alert_history
BEGIN
    SELECT RAISE(ABORT, 'alert_history is append-only');
END;

-- Tracking reminders (spec/alerts.md): when the case was last in a reminder; NULL: never.
ALTER TABLE cases ADD COLUMN last_reminder_at INTEGER;
)sql";

void apply_schema_2(SQLite::Database& db) { db.exec(schema_2); }

// The 10-minute duplicate rule looks for the same text from the same sender on every inbound
// message; through the (sender, received_at) index alone it compared every message the sender
// sent in the window, so one busy number slowed everyone's commits. With this index it is one
// lookup (measured: 2,219 -> 388 msg/s as one number's messages grew, flat with the index).
constexpr const char* schema_3 = R"sql(
CREATE INDEX messages_by_sender_text ON messages (sender, text, received_at);
)sql";

void apply_schema_3(SQLite::Database& db) { db.exec(schema_3); }

// Version 4: the case life cycle of spec cases.md. The STRICT `cases` table is rebuilt with the
// machine's columns (cases/case_fsm.hpp) and room for seven-digit codes (serials up to 999999);
// `not_confirmed` cases become `dismissed` with reason OTHER; every case's derived columns are
// recomputed by replaying its history, which is kept as it is (rows are only ever added). The
// service record gets its own append-only table, filled from the history's referrals; events gain
// the new forms' fields. It runs with foreign keys off (SQLite's procedure for rebuilding a table
// that others refer to); migrate() checks them all before the commit.
constexpr const char* schema_4 = R"sql(
CREATE TABLE cases_v4 (
    serial            INTEGER PRIMARY KEY CHECK (serial BETWEEN 0 AND 999999),
    code              TEXT    NOT NULL UNIQUE,   -- parser::make_case_code(serial): 6 or 7 digits
    site              TEXT    NOT NULL,
    sex               TEXT    NOT NULL CHECK (sex IN ('B', 'G', 'U')),
    age_min           INTEGER NOT NULL,
    age_max           INTEGER NOT NULL,
    opened_form       TEXT    NOT NULL DEFAULT 'ID' CHECK (opened_form IN ('ID', 'RISK')),
    work              TEXT,               -- ID: the work code; RISK: NULL
    risk_reason       TEXT,               -- RISK: DROP, SIB, FAM, STREET, OTHER
    hazards           TEXT    NOT NULL DEFAULT '',
    sensitive         INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    -- Derived from the history by the life-cycle machine; case_history is the record.
    state             TEXT    NOT NULL DEFAULT 'reported'
                      CHECK (state IN ('reported', 'confirmed', 'dismissed', 'merged', 'planned', 'outcome',
                                       're_engaged', 'lost', 'closed')),
    state_before_lost TEXT    NOT NULL DEFAULT 'reported'
                      CHECK (state_before_lost IN ('reported', 'confirmed', 'planned', 'outcome', 're_engaged')),
    target            TEXT    NOT NULL DEFAULT 'withdrawal' CHECK (target IN ('withdrawal', 'prevention')),
    category          TEXT    NOT NULL DEFAULT '',
    work_status       TEXT    NOT NULL DEFAULT 'working'
                      CHECK (work_status IN ('working', 'less', 'not_working', 'unknown')),
    school_status     TEXT    NOT NULL DEFAULT 'unknown'
                      CHECK (school_status IN ('school', 'nfe', 'kg', 'vocational', 'none', 'unknown')),
    outcome           TEXT    NOT NULL DEFAULT '' CHECK (outcome IN ('', 'WD', 'PR', 'LESS')),
    outcome_at        INTEGER,
    last_tr_at        INTEGER,            -- the last TR (NULL: never tracked)
    work_reported_at  INTEGER,            -- the last TR with a work code
    work_seen_at      INTEGER,            -- the last TR ... WORK
    planned_at        INTEGER,
    ever_planned      INTEGER NOT NULL DEFAULT 0 CHECK (ever_planned IN (0, 1)),
    dismiss_reason    TEXT    NOT NULL DEFAULT '',
    close_reason      TEXT    NOT NULL DEFAULT '',
    merged_into       TEXT    NOT NULL DEFAULT '',
    last_status       TEXT,               -- the last TR's codes
    last_service      TEXT,               -- the last REF or SVC code
    opened_event_id   INTEGER NOT NULL REFERENCES events (id),
    opened_message_id INTEGER REFERENCES messages (id),
    opened_by         TEXT    NOT NULL,   -- phone
    opened_at         INTEGER NOT NULL,
    last_tracked_at   INTEGER NOT NULL,   -- tracking news: the last TR, or opened_at
    last_followed_by  TEXT    NOT NULL,   -- phone
    last_reminder_at  INTEGER
) STRICT;
INSERT INTO cases_v4 (serial, code, site, sex, age_min, age_max, opened_form, work, hazards, sensitive, state,
                      work_status, school_status, dismiss_reason, close_reason, last_status, last_service,
                      opened_event_id, opened_message_id, opened_by, opened_at, last_tracked_at, last_followed_by,
                      last_reminder_at)
SELECT c.serial, c.code, c.site, c.sex, c.age_min, c.age_max, 'ID', c.work, c.hazards, c.sensitive,
       CASE c.state WHEN 'not_confirmed' THEN 'dismissed' ELSE c.state END,
       c.work_status, c.school_status, CASE c.state WHEN 'not_confirmed' THEN 'OTHER' ELSE '' END,
       COALESCE(c.close_reason, ''), c.last_status, c.last_service, c.opened_event_id,
       (SELECT e.message_id FROM events e WHERE e.id = c.opened_event_id), c.opened_by, c.opened_at,
       c.last_tracked_at, c.last_followed_by, c.last_reminder_at
FROM cases c;
DROP TABLE cases;
ALTER TABLE cases_v4 RENAME TO cases;
CREATE INDEX cases_by_opener ON cases (opened_by);
CREATE INDEX cases_by_follower ON cases (last_followed_by);
CREATE INDEX cases_by_site ON cases (site, state);
CREATE INDEX cases_by_last_tracked ON cases (state, last_tracked_at);
CREATE INDEX cases_by_opened_at ON cases (opened_at);

-- The service record (cases.md 1): every referral and every service delivered, for the child or
-- the family, with who reported it and from which message. Rows are only ever added; an entry
-- whose history row was undone is left out of the figures.
CREATE TABLE case_services (
    id          INTEGER PRIMARY KEY,
    case_serial INTEGER NOT NULL REFERENCES cases (serial),
    history_id  INTEGER NOT NULL REFERENCES case_history (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('referral', 'service')),
    service     TEXT    NOT NULL,
    for_family  INTEGER NOT NULL DEFAULT 0 CHECK (for_family IN (0, 1)),
    actor       TEXT    NOT NULL,
    message_id  INTEGER REFERENCES messages (id),
    at          INTEGER NOT NULL
) STRICT;
CREATE INDEX case_services_by_case ON case_services (case_serial, id);
CREATE INDEX case_services_by_time ON case_services (at);
CREATE TRIGGER case_services_is_append_only_update BEFORE UPDATE ON case_services
BEGIN
    SELECT RAISE(ABORT, 'case_services is append-only');
END;
CREATE TRIGGER case_services_is_append_only_delete BEFORE DELETE ON case_services
BEGIN
    SELECT RAISE(ABORT, 'case_services is append-only');
END;
INSERT INTO case_services (case_serial, history_id, kind, service, for_family, actor, message_id, at)
SELECT h.case_serial, h.id, 'referral', h.detail, 0, h.actor, h.message_id, h.at
FROM case_history h WHERE h.action = 'referred' ORDER BY h.id;

CREATE INDEX case_history_by_time ON case_history (at);

-- The new forms' fields (TR's codes stay in `status`, space-separated; RISK's reason and VER NO's
-- in `reason`; OUT's result and VER's OK/NO in `outcome`).
ALTER TABLE events ADD COLUMN target TEXT;       -- PLAN: W or P
ALTER TABLE events ADD COLUMN category TEXT;     -- PLAN
ALTER TABLE events ADD COLUMN for_family INTEGER CHECK (for_family IN (0, 1)); -- SVC
ALTER TABLE events ADD COLUMN into_case TEXT;    -- MERGE
-- When the gateway received the message (occurred_at is when the sender says it happened): the
-- figures count by it, and read the events alone, never the messages with their texts.
ALTER TABLE events ADD COLUMN received_at INTEGER;
UPDATE events SET received_at = (SELECT m.received_at FROM messages m WHERE m.id = events.message_id);
)sql";

void apply_schema_4(SQLite::Database& db)
{
    db.exec(schema_4);
    recompute_all_cases(db);
}

// Version 5: a site the configuration no longer names is kept, inactive (its events and open
// cases still name it), instead of staying as if it were still monitored. sync_registry sets the
// flag: 1 for the sites of the snapshot, 0 for the others.
constexpr const char* schema_5 = R"sql(
ALTER TABLE sites ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
)sql";

void apply_schema_5(SQLite::Database& db) { db.exec(schema_5); }

// Version 6: the duplicate rule judges a message as understood (its form and canonical fields),
// not its raw bytes: the same report in Latin and in Cyrillic is one report (issue 10, item 3).
// Messages stored before have no key and are matched on their text (messages_by_sender_text).
constexpr const char* schema_6 = R"sql(
ALTER TABLE messages ADD COLUMN duplicate_key TEXT;
CREATE INDEX messages_by_sender_key ON messages (sender, duplicate_key, received_at);
)sql";

void apply_schema_6(SQLite::Database& db) { db.exec(schema_6); }

// Version 7: USSD (issue 11). A message taken in from a completed USSD dialogue keeps the whole
// dialogue (its steps; `text` is the equivalent SMS), and every USSD session that ended has a row:
// completed, ended (cancelled, help, unregistered) or abandoned with the screen and step it
// reached, and the abandoned session it resumed, if any (`ussd_abandoned` counts the abandoned
// sessions no later session resumed).
constexpr const char* schema_7 = R"sql(
ALTER TABLE messages ADD COLUMN dialogue TEXT;
CREATE TABLE ussd_sessions (
    id           INTEGER PRIMARY KEY,
    channel      TEXT    NOT NULL,
    session_id   TEXT    NOT NULL,
    sender       TEXT    NOT NULL,
    outcome      TEXT    NOT NULL CHECK (outcome IN ('completed', 'ended', 'abandoned')),
    why          TEXT,               -- abandoned: dropped, timed_out, replaced, evicted
    step_name    TEXT    NOT NULL,   -- the screen reached: top, site, children ...
    step         INTEGER NOT NULL,
    form         TEXT,               -- chosen at the top, when one was
    steps        TEXT    NOT NULL,   -- the answers, as ussd::describe_steps writes them
    resumed_from TEXT,               -- the session_id (same channel) of the dialogue it continued
    message_id   INTEGER REFERENCES messages (id),
    started_at   INTEGER NOT NULL,
    ended_at     INTEGER NOT NULL,
    provider_end TEXT,               -- the provider's end-of-session notice: "completed", "incomplete: ..."
    UNIQUE (channel, session_id)
) STRICT;
CREATE INDEX ussd_sessions_by_end ON ussd_sessions (ended_at);
CREATE INDEX ussd_sessions_by_resumed ON ussd_sessions (channel, resumed_from);
)sql";

void apply_schema_7(SQLite::Database& db) { db.exec(schema_7); }

// Version 8: the coordinators' API (issue 12). API tokens, stored as the SHA-256 of the token
// (the token itself is printed once and kept nowhere); an append-only audit log of every write
// and of every read of a sensitive record; and where each registry row comes from: 'config' (the
// file seeds it, a reload may change or deactivate it) or 'cli' (created or last changed while
// running, by the command line or the API: a reload leaves it alone), as reporters already have.
constexpr const char* schema_8 = R"sql(
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    label        TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('admin', 'coordinator', 'team', 'viewer')),
    team         TEXT,               -- the team's name, for role 'team' only
    hash         BLOB    NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_used_at INTEGER,
    CHECK ((role = 'team') = (team IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX api_tokens_by_live_label ON api_tokens (label) WHERE revoked_at IS NULL;
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    actor    TEXT    NOT NULL,       -- the token's label, or "command line"
    token_id INTEGER REFERENCES api_tokens (id),
    role     TEXT,                   -- the token's role then
    client   TEXT,                   -- the client's address; NULL from the command line
    action   TEXT    NOT NULL,       -- read, create, update, delete, sign_in, sign_in_refused, token_create ...
    object   TEXT    NOT NULL,       -- what it was done to: "case ALT-0012-7", "site ALT", "token 3"
    detail   TEXT                    -- JSON, or NULL
) STRICT;
CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
ALTER TABLE sites ADD COLUMN origin TEXT NOT NULL DEFAULT 'config' CHECK (origin IN ('config', 'cli'));
ALTER TABLE teams ADD COLUMN origin TEXT NOT NULL DEFAULT 'config' CHECK (origin IN ('config', 'cli'));
ALTER TABLE coordinators ADD COLUMN origin TEXT NOT NULL DEFAULT 'config' CHECK (origin IN ('config', 'cli'));
)sql";

void apply_schema_8(SQLite::Database& db) { db.exec(schema_8); }

// Version 9: a coordinator removed while running (the API) is kept, inactive, so that a reload
// from a file that still names it does not bring it back (origin 'cli' leaves the row alone).
constexpr const char* schema_9 = R"sql(
ALTER TABLE coordinators ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
)sql";

void apply_schema_9(SQLite::Database& db) { db.exec(schema_9); }

constexpr std::array<migration, 9> all{{
    {1, "messages, events, cases, case history, registry", &apply_schema_1},
    {2, "alerts, recipients, alert history, outbox, outbox attempts, case reminders", &apply_schema_2},
    {3, "an index for the duplicate-text rule", &apply_schema_3},
    {4, "the case life cycle: rebuilt cases, service record, new event fields", &apply_schema_4, true},
    {5, "sites kept inactive when the configuration no longer names them", &apply_schema_5},
    {6, "the duplicate rule's key: a message as understood", &apply_schema_6},
    {7, "USSD: the dialogue of a message, and the sessions that ended", &apply_schema_7},
    {8, "API tokens, the audit log, and where registry rows come from", &apply_schema_8},
    {9, "coordinators removed at run time kept inactive", &apply_schema_9},
}};

} // namespace

std::span<const migration> migrations() noexcept { return all; }

int latest_schema_version() noexcept { return all.back().version; }

} // namespace kharuul::store

// What `kharuul report` (and the API's /report) reads from the store: every case opened before
// `until` with its history and its service record as the history gives it (entries whose history
// row was undone before `until` left out), the sites, the teams with their areas, the accepted
// reports and TRs received in [from, until), and the alerts raised in it. One read transaction's
// worth of SELECTs; the figures themselves are cases::compute_report's. Synchronous; same
// threading and error contract as store/records.hpp.
#pragma once

#include "store/database.hpp"

#include "cases/report.hpp"

namespace kharuul::store {

// Fills every member of the input but from, until, area, age_bands and reminder_after (the
// caller's), and reporter_labels with the registered names (phone -> name; the caller masks).
// With `later_corrections`, the history rows that a coordinator undid after `until` are left out
// too: the period's figures as they should have been, rather than as the store stood at `until`.
cases::report_input load_report_input(connection& db, timestamp from, timestamp until, bool later_corrections = false);

} // namespace kharuul::store

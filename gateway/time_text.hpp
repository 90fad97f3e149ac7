// Times as coordinators type and read them in `kharuul log` and `kharuul export`: the log shows
// the deployment's local time (alerts.utc_offset: Mongolia has one offset all year, no DST), the
// exports ISO 8601 in UTC, and --since/--until accept a date, a date and time, or "how long ago".
// Pure functions: the clock and the offset are passed in.
#pragma once

#include "store/database.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kharuul::gateway {

// "2026-11-25 17:30": the minute in local time.
std::string format_local_minute(store::timestamp t, std::chrono::minutes utc_offset);

// "2026-11-25T09:30:00.000Z": always with milliseconds, so that the text sorts as the time does.
std::string format_utc_iso(store::timestamp t);

// "2026-07-01T00:00:00+08:00": the second in local time with the offset (report JSON).
std::string format_local_iso(store::timestamp t, std::chrono::minutes utc_offset);

enum class time_bound { since, until };

// Reads what a coordinator typed after --since or --until:
//   "2026-11-25"                       local midnight; as an --until bound the end of that day, so
//                                      that "--until 2026-11-25" includes the 25th
//   "2026-11-25T17:30", "2026-11-25 17:30", "...T17:30:15"   local time; a trailing 'Z' means UTC,
//                                      a trailing "+08:00" / "-05:30" that offset
//   "90m", "24h", "7d", "2w"           that long before `now`
// nullopt when the text is none of these or not a real date.
std::optional<store::timestamp> parse_time_bound(std::string_view text, time_bound bound,
                                                 std::chrono::minutes utc_offset, store::timestamp now);

} // namespace kharuul::gateway

// The one time type of the alerts library: a UTC instant with millisecond precision, the same
// representation as the store's timestamps. The library never reads a clock: every function that
// depends on time takes the current instant as a parameter.
#pragma once

#include <chrono>

namespace kharuul::alerts {

using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

} // namespace kharuul::alerts

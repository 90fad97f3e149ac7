// systemd socket activation (sd_listen_fds(3)), without libsystemd: a kharuul.socket unit binds
// the port and passes the listening socket to `kharuul serve` as descriptor 3, with LISTEN_PID and
// LISTEN_FDS in the environment. The port is then held across restarts of the service, and
// providers' connections wait in the socket's backlog instead of being refused. The tests pass a
// socket bound to port 0 the same way.
#pragma once

namespace kharuul::gateway {

// The first descriptor systemd passes.
inline constexpr int listen_fds_start = 3;

// The listening socket passed to this process (LISTEN_PID is this process and LISTEN_FDS at
// least 1: descriptor 3), or -1 when none was. Unsets LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES
// so that child processes do not take the socket for theirs, and marks it close-on-exec.
int inherited_listener();

} // namespace kharuul::gateway

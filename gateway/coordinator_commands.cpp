#include "gateway/cli.hpp"

namespace kharuul::gateway {

std::vector<command> coordinator_commands() { return {}; }

} // namespace kharuul::gateway

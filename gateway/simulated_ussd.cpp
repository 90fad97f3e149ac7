// The USSD dialogue of `kharuul simulate` (gateway/simulator.hpp simulated_ussd). This build has no
// USSD menus yet: null, and a dialled service code says so.
#include "gateway/simulator.hpp"

namespace kharuul::gateway {

std::unique_ptr<simulated_ussd> make_simulated_ussd(const config::gateway_config&,
                                                    std::shared_ptr<const daemon_detail::routing>) {
    return nullptr;
}

} // namespace kharuul::gateway

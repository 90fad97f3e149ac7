#include "adapters/outbound.hpp"

#include "adapters/outbound_registration.hpp"

#include <array>

namespace kharuul::adapters {

// ---------------------------------------------------------------------------------------------
// The registry. Each channel's .cpp defines its registration; adding a channel type adds its file,
// its declaration in outbound_registration.hpp and its entry in the table below.

namespace {

using registration_accessor = const outbound_registration& (*)() noexcept;

constexpr std::array<registration_accessor, 5> registered_outbound = {&log_outbound, &generic_outbound,
                                                                      &kannel_outbound, &twilio_outbound,
                                                                      &africastalking_outbound};

const outbound_registration* find_outbound(std::string_view type) noexcept {
    for (const auto accessor : registered_outbound) {
        const outbound_registration& r = accessor();
        if (r.type == type) {
            return &r;
        }
    }
    return nullptr;
}

} // namespace

std::unique_ptr<outbound_channel> make_outbound(const outbound_settings& settings,
                                                boost::asio::any_io_executor executor) {
    const auto* r = find_outbound(settings.type);
    return r != nullptr ? r->make(settings, std::move(executor)) : nullptr;
}

std::vector<std::string_view> outbound_types() {
    std::vector<std::string_view> types;
    types.reserve(registered_outbound.size());
    for (const auto accessor : registered_outbound) {
        types.push_back(accessor().type);
    }
    return types;
}

std::vector<std::string> outbound_problems(const outbound_settings& settings) {
    const auto* r = find_outbound(settings.type);
    if (r == nullptr) {
        std::string known;
        for (const auto type : outbound_types()) {
            known += known.empty() ? "" : ", ";
            known += type;
        }
        return {"type: '" + settings.type + "' cannot send (the types that can: " + known + ")"};
    }
    return r->problems(settings);
}

std::string_view send_outcome_name(send_outcome::kind k) noexcept {
    switch (k) {
    case send_outcome::kind::sent:
        return "sent";
    case send_outcome::kind::retry:
        return "retry";
    case send_outcome::kind::failed:
        return "failed";
    }
    return "retry";
}

} // namespace kharuul::adapters

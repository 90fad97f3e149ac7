// How an outbound channel type registers itself with make_outbound: its type name, its factory
// and its configuration check. Each channel's .cpp defines one `const outbound_registration&
// <type>_outbound() noexcept`; outbound.cpp lists them. Internal to adapters.
#pragma once

#include "adapters/outbound.hpp"

namespace kharuul::adapters {

struct outbound_registration {
    std::string_view type;
    std::unique_ptr<outbound_channel> (*make)(const outbound_settings&, boost::asio::any_io_executor);
    std::vector<std::string> (*problems)(const outbound_settings&);
};

const outbound_registration& log_outbound() noexcept;
const outbound_registration& generic_outbound() noexcept;
const outbound_registration& kannel_outbound() noexcept;
const outbound_registration& twilio_outbound() noexcept;
const outbound_registration& africastalking_outbound() noexcept;

} // namespace kharuul::adapters

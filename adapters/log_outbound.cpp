// The log channel: sends nothing. The message stays in the store's outbox, where `kharuul log`
// and the dashboard show it; for the demo configuration and for trials without a provider.

#include "adapters/outbound.hpp"

#include "adapters/outbound_registration.hpp"

#include <spdlog/spdlog.h>

namespace kharuul::adapters {

namespace {

class log_outbound_impl final : public outbound_channel {
public:
    explicit log_outbound_impl(std::string name) : name_(std::move(name)) {}

    std::string_view type() const noexcept override { return "log"; }

    boost::asio::awaitable<send_outcome> send(const outbound_sms& sms) override {
        spdlog::debug("channel {}: outbox {} logged, not sent ({} bytes)", name_, sms.outbox_id,
                      sms.text.size());
        co_return send_outcome{send_outcome::kind::sent, {}, "logged"};
    }

private:
    std::string name_;
};

std::unique_ptr<outbound_channel> make(const outbound_settings& settings, boost::asio::any_io_executor) {
    return std::make_unique<log_outbound_impl>(settings.name);
}

std::vector<std::string> problems(const outbound_settings&) {
    return {};
}

} // namespace

const outbound_registration& log_outbound() noexcept {
    static const outbound_registration registration{"log", &make, &problems};
    return registration;
}

} // namespace kharuul::adapters

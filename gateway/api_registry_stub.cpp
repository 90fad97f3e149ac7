// A stand-in until helper C's api_registry.cpp is merged (the integrator deletes this file).
#include "gateway/api_registry.hpp"

namespace kharuul::gateway {

std::optional<api::api_answer> serve_registry(store::connection&, const api::principal&, const api::api_request&,
                                              const api::api_context&) {
    return std::nullopt;
}

} // namespace kharuul::gateway

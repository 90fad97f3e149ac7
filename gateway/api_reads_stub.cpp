// A stand-in until helper B's api_reads.cpp is merged (the integrator deletes this file).
#include "gateway/api_reads.hpp"

namespace kharuul::gateway {

std::optional<api::api_answer> serve_reads(store::connection&, const api::principal&, const api::api_request&,
                                           const api::api_context&) {
    return std::nullopt;
}

} // namespace kharuul::gateway

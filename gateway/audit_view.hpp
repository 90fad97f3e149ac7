// `kharuul log --audit`: the audit log (store/audit.hpp) in the terminal, newest first. Runs on
// the caller's thread; opens the store read-only.
#pragma once

#include "gateway/cli.hpp"

#include <string>

namespace kharuul::gateway {

struct audit_view_request {
    std::string config_path, since_text, until_text, actor, action;
    int limit = 100;
};

int log_audit(const invocation& inv, const audit_view_request& r);

} // namespace kharuul::gateway

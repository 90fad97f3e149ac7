// Captures what spdlog's default logger writes during a test (a ring buffer sink), and restores
// the previous default logger afterwards: for tests that count log lines.
#pragma once

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace kharuul::testing {

class log_capture {
public:
    explicit log_capture(spdlog::level::level_enum level = spdlog::level::info)
        : previous_(spdlog::default_logger()),
          sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(100000)) {
        auto logger = std::make_shared<spdlog::logger>("capture", sink_);
        logger->set_level(level);
        logger->set_pattern("%l %v");
        spdlog::set_default_logger(logger);
    }
    ~log_capture() { spdlog::set_default_logger(previous_); }
    log_capture(const log_capture&) = delete;
    log_capture& operator=(const log_capture&) = delete;

    // Each without its line break.
    std::vector<std::string> lines() const {
        auto out = sink_->last_formatted();
        for (auto& l : out)
            while (!l.empty() && (l.back() == '\n' || l.back() == '\r'))
                l.pop_back();
        return out;
    }

    std::vector<std::string> lines_containing(const std::string& part) const {
        std::vector<std::string> out;
        for (auto& l : lines())
            if (l.find(part) != std::string::npos)
                out.push_back(l);
        return out;
    }

private:
    std::shared_ptr<spdlog::logger> previous_;
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

} // namespace kharuul::testing

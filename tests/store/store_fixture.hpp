// Test support for tests/store: a fresh directory per test under the system temp dir, removed
// afterwards, and small builders for messages and a registry with made-up numbers (+97699000xxx).
#pragma once

#include "store/database.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace kharuul::store::testing {

class temp_dir {
public:
    temp_dir()
    {
        static std::atomic<int> counter{0};
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = "kharuul-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        if (info)
            name += std::string("-") + info->name();
        path_ = std::filesystem::temp_directory_path() / name;
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~temp_dir() { std::filesystem::remove_all(path_); }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path file(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

inline timestamp at_ms(std::int64_t ms) { return from_unix_ms(1'750'000'000'000 + ms); }

inline new_message sms_from(std::string sender, std::string text, timestamp received,
                            std::optional<std::string> provider_id = std::nullopt)
{
    new_message m;
    m.kind = message_kind::sms;
    m.channel = "kannel";
    m.provider_id = std::move(provider_id);
    m.sender = std::move(sender);
    m.recipient = "+97699000999";
    m.text = std::move(text);
    m.received_at = received;
    return m;
}

inline registry_snapshot demo_registry()
{
    registry_snapshot r;
    r.sites = {{"ALT", "Site A", "mine", "Area/One"}, {"DKH", "Site D", "market", "Area/Two"}};
    r.teams = {{"Team one", {"Area/One"}, false, {{"+97699000101", "Member A", "leader", "mn"}, {"+97699000102", "Member B", "member", "en"}}},
               {"Team two", {"Area/Two"}, true, {{"+97699000201", "Member C", "leader", "mn"}}}};
    r.coordinators = {{"+97699000301", "Coordinator A", "en"}};
    r.reporters = {{"+97699000001", "Reporter A", "mn", "volunteer", {"ALT"}},
                   {"+97699000002", "Reporter B", "en", "volunteer", {"ALT", "DKH"}}};
    return r;
}

// A store with the demo registry, opened read-write.
class store_test : public ::testing::Test {
protected:
    temp_dir dir;
    std::filesystem::path path = dir.file("kharuul.db");
    connection db = open_database(path);

    void SetUp() override { ASSERT_TRUE(sync_registry(db, demo_registry(), at_ms(0))); }
};

} // namespace kharuul::store::testing

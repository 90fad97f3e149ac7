// The intake in-process over a real store file: the demo configuration's registry synced into a
// fresh store, the lexicon, and send() taking one message in its own transaction, as the daemon's
// store thread does. A base for the tests of the intake's rules (alerts, the case cap).
#pragma once

#include "gateway/intake.hpp"
#include "gateway/registry_seed.hpp"
#include "parser/lexicon.hpp"
#include "store/database.hpp"
#include "store/registry.hpp"
#include "tests/support/gateway_fixture.hpp"

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include <string>
#include <system_error>

namespace kharuul::testing {

class intake_fixture : public ::testing::Test {
protected:
    // The registry is synced at `registry_at`.
    explicit intake_fixture(store::timestamp registry_at)
        : dir_(fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name())),
          cfg_(demo_config(dir_)), lex_(cfg_.language, cfg_.site_codes()),
          db_(store::open_database(dir_ / "kharuul.db")) {
        auto r = store::sync_registry(db_, gateway::registry_snapshot_of(cfg_), registry_at);
        EXPECT_TRUE(r);
    }

    ~intake_fixture() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    // One message from `from` on the generic channel, taken in at `at`.
    gateway::intake_outcome send(const std::string& from, const std::string& text, store::timestamp at) {
        SQLite::Transaction tx(db_);
        gateway::inbound in;
        in.channel = "generic";
        in.from = from;
        in.text = text;
        auto out = gateway::take_in(db_, in, lex_, settings_, at);
        tx.commit();
        return out;
    }

    fs::path dir_;
    config::gateway_config cfg_;
    parser::lexicon lex_;
    store::connection db_;
    gateway::intake_settings settings_;
};

} // namespace kharuul::testing

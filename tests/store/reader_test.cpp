// The store's read thread: jobs run on a read-only connection that sees what the writer committed,
// one at a time; a full queue refuses at once (reader_busy) instead of growing; stop() runs what is
// queued and then refuses.
#include "store/reader.hpp"

#include "store/error.hpp"
#include "store/registry.hpp"
#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <future>
#include <system_error>

namespace kharuul::store {
namespace {

class reader_thread : public testing::store_test {};

std::error_code code_of(std::exception_ptr e) {
    try {
        if (e)
            std::rethrow_exception(e);
    } catch (const std::system_error& s) {
        return s.code();
    } catch (...) {
        return std::make_error_code(std::errc::io_error);
    }
    return {};
}

TEST_F(reader_thread, a_job_reads_what_the_store_holds_on_a_read_only_connection) {
    reader r({path});
    std::promise<std::pair<std::size_t, bool>> got;
    std::promise<std::exception_ptr> done;
    r.submit([&](connection& c) { got.set_value({list_sites(c).size(), c.read_only()}); },
             [&](std::exception_ptr e) { done.set_value(e); });
    EXPECT_EQ(done.get_future().get(), nullptr);
    const auto [sites, read_only] = got.get_future().get();
    EXPECT_EQ(sites, list_sites(db).size());
    EXPECT_GT(sites, 0u);
    EXPECT_TRUE(read_only);
}

TEST_F(reader_thread, a_write_in_a_job_fails_that_job_only) {
    reader r({path});
    std::promise<std::exception_ptr> first, second;
    r.submit([](connection& c) { c.exec("DELETE FROM sites"); }, [&](std::exception_ptr e) { first.set_value(e); });
    r.submit([](connection&) {}, [&](std::exception_ptr e) { second.set_value(e); });
    EXPECT_NE(first.get_future().get(), nullptr);
    EXPECT_EQ(second.get_future().get(), nullptr);
    EXPECT_FALSE(list_sites(db).empty());
}

TEST_F(reader_thread, a_full_queue_refuses_the_next_job_at_once) {
    reader r({path, std::chrono::milliseconds(5000), 2});
    std::promise<void> release, started;
    auto released = release.get_future().share();
    std::vector<std::promise<std::exception_ptr>> outcomes(4);
    r.submit([&](connection&) { started.set_value(); released.wait(); },
             [&](std::exception_ptr e) { outcomes[0].set_value(e); });
    started.get_future().wait(); // the first job runs: the queue is empty again
    for (int i = 1; i <= 3; ++i)
        r.submit([](connection&) {}, [&, i](std::exception_ptr e) { outcomes[i].set_value(e); });
    auto refused = outcomes[3].get_future();
    ASSERT_EQ(refused.wait_for(std::chrono::seconds(0)), std::future_status::ready) << "refused on the calling thread";
    EXPECT_EQ(code_of(refused.get()), make_error_code(errc::reader_busy));
    release.set_value();
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(outcomes[i].get_future().get(), nullptr);
}

TEST_F(reader_thread, stop_runs_the_queued_jobs_and_then_refuses) {
    reader r({path});
    std::promise<std::exception_ptr> queued, late;
    r.submit([](connection&) {}, [&](std::exception_ptr e) { queued.set_value(e); });
    r.stop();
    EXPECT_EQ(queued.get_future().get(), nullptr);
    r.submit([](connection&) {}, [&](std::exception_ptr e) { late.set_value(e); });
    EXPECT_EQ(code_of(late.get_future().get()), make_error_code(errc::reader_stopped));
}

} // namespace
} // namespace kharuul::store

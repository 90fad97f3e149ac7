// gen_store: writes a brand-new store (the real schema, through store::open_database) holding a
// generated season: the demo registry's sites and teams (made-up +97699000xxx phones only), M
// messages spread over the days with a field mix, each accepted one with its event row (as the
// gateway's intake writes them: not for ACK), cases whose
// histories are valid life cycles (every change decided by the pure machine, cases/case_fsm.hpp),
// their service records, and alerts with their ACKs. For the benchmarks of `kharuul report` and
// whatever else needs a big store (bench/report.sh caches one by its parameters).
//
// Deterministic for a seed (its own generator, no std::*_distribution). Writes FILE.partial and
// renames it to FILE at the end, so a FILE that exists is always a whole store.
#include "bench/gen_store.hpp"

#include <boost/program_options.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace {

using namespace gen_store_bench;

// "2026-01-01": local midnight at +08:00, as unix milliseconds.
std::optional<int64_t> parse_date(const std::string& s) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(s.c_str(), "%d-%u-%u%c", &y, &m, &d, &tail) != 3)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!ymd.ok())
        return std::nullopt;
    const auto days = std::chrono::sys_days{ymd}.time_since_epoch().count();
    return static_cast<int64_t>(days) * day_ms - utc_offset_ms;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

using namespace gen_store_bench;


int main(int argc, char** argv) {
    std::string out, from_text = "2026-01-01";
    uint64_t want_cases = 0, seed = 1;
    int64_t want_messages = 0;
    int days = 365;
    po::options_description opts("gen_store --out FILE --cases N --messages M --seed S [--from DATE] [--days D]");
    opts.add_options()("help,h", "this text")("out", po::value(&out)->required(), "the store to write (replaced)")(
        "cases", po::value(&want_cases)->required(), "cases to open (ID and RISK), at most 90000")(
        "messages", po::value(&want_messages)->required(), "messages in all")(
        "seed", po::value(&seed)->default_value(1), "the same seed writes the same store")(
        "from", po::value(&from_text)->default_value("2026-01-01"), "first day, local time (+08:00)")(
        "days", po::value(&days)->default_value(365), "days the messages are spread over");
    try {
        po::variables_map vm;
        po::store(po::parse_command_line(argc, argv, opts), vm);
        if (vm.count("help")) {
            std::cout << opts;
            return 0;
        }
        po::notify(vm);
    } catch (const std::exception& e) {
        std::cerr << "gen_store: " << e.what() << "\n" << opts;
        return 2;
    }
    const auto from = parse_date(from_text);
    const uint64_t max_cases = kharuul::parser::max_case_serial - st::default_first_case_serial + 1;
    if (!from || days < 1 || want_messages < 1 || want_cases > max_cases) {
        std::cerr << "gen_store: --from must be a date (2026-01-01), --days and --messages at least 1, --cases at most "
                  << max_cases << "\n";
        return 2;
    }

    const auto t0 = std::chrono::steady_clock::now();
    const fs::path target(out);
    const fs::path partial = target.string() + ".partial";
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(partial.string() + suffix);
    try {
        double gen_s = 0, recompute_s = 0;
        counts tally;
        std::size_t cases_written = 0;
        std::array<int64_t, state_count> states{};
        int64_t end = 0;
        {
            st::connection db = st::open_database(partial);
            // For the generator only: a crash just means generating again.
            db.exec("PRAGMA synchronous = OFF");
            db.exec("PRAGMA cache_size = -131072");
            generator g(db, seed, *from, days, static_cast<uint32_t>(want_cases), want_messages);
            if (auto r = st::sync_registry(db, g.registry(), st::from_unix_ms(*from)); !r) {
                std::cerr << "gen_store: the registry: " << r.error().message() << "\n";
                return 1;
            }
            g.run();
            gen_s = seconds_since(t0);
            const auto t1 = std::chrono::steady_clock::now();
            db.exec("BEGIN");
            st::recompute_all_cases(db);
            db.exec("COMMIT");
            recompute_s = seconds_since(t1);
            db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
            db.exec("ANALYZE");
            tally = g.tally;
            cases_written = g.case_count();
            states = g.state_counts();
            end = g.end_ms();
        }
        for (const char* suffix : {"-wal", "-shm"})
            fs::remove(partial.string() + suffix);
        fs::rename(partial, target);

        std::cout << "gen_store: wrote " << target.string() << " (seed " << seed << ", " << from_text << " + " << days
                  << " days, until unix ms " << end << ") in " << seconds_since(t0) << " s (generation " << gen_s
                  << " s, recompute_all_cases " << recompute_s << " s)\n";
        std::cout << "  messages " << tally.messages << ":";
        for (std::size_t k = 1; k < status_names.size(); ++k)
            std::cout << " " << status_names[k] << " " << tally.by_status[k];
        std::cout << "\n  accepted by form:";
        for (std::size_t k = 0; k + 1 < form_names.size(); ++k)
            std::cout << " " << form_names[k] << " " << tally.by_form[k];
        std::cout << "\n  events " << tally.events << ", cases " << cases_written << ", case_history " << tally.history
                  << " (undone " << tally.undone << "), case_services " << tally.services << ", alerts "
                  << tally.alerts << " (acknowledged " << tally.acked << ")\n  cases by state:";
        static constexpr std::array<std::string_view, 9> state_names{
            "reported", "confirmed", "dismissed", "merged", "planned", "outcome", "re_engaged", "lost", "closed"};
        for (std::size_t k = 0; k < state_names.size(); ++k)
            std::cout << " " << state_names[k] << " " << states[k];
        std::cout << "\n";
        if (cases_written < want_cases)
            std::cout << "  (fewer cases than asked: not enough ID/RISK messages)\n";
    } catch (const std::exception& e) {
        std::cerr << "gen_store: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

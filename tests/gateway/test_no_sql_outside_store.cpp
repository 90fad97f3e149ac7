// The query layer's rule (style.md, issue 12 item 1): no SQL text outside store/. Every source file
// of the product (every top-level folder but store/, the tests and the benchmark's generator of
// synthetic stores, bench/, which writes rows in bulk on purpose) is read line by line; a string
// literal holding a SELECT, INSERT, UPDATE or DELETE statement fails the test with the file and
// line, so that a query written in the wrong place is caught where it is written.
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace kharuul::testing {
namespace {

namespace fs = std::filesystem;

// A string literal that starts (or continues) an SQL statement: `"SELECT x`, `" WHERE id IN
// (SELECT`, `"INSERT INTO`, `"UPDATE t SET`, `"DELETE FROM`.
const std::regex sql_in_literal(R"re("[^"]*\b(SELECT\s+[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b))re");

bool holds_sql(const std::string& line) { return std::regex_search(line, sql_in_literal); }

// "gateway/registry_seed.cpp:32: ..." for every line of the files under `root` that holds SQL.
std::vector<std::string> sql_lines(const fs::path& root, const std::set<std::string>& skipped) {
    std::vector<std::string> found;
    for (const auto& top : fs::directory_iterator(root)) {
        const std::string name = top.path().filename().string();
        if (!top.is_directory() || skipped.count(name) || name.starts_with(".") || name.starts_with("build"))
            continue;
        for (const auto& f : fs::recursive_directory_iterator(top.path())) {
            const auto ext = f.path().extension().string();
            if (!f.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h" && ext != ".cc"))
                continue;
            std::ifstream in(f.path());
            int n = 0;
            for (std::string line; std::getline(in, line);) {
                ++n;
                if (holds_sql(line))
                    found.push_back(fs::relative(f.path(), root).string() + ":" + std::to_string(n) + ": " + line);
            }
        }
    }
    return found;
}

const std::set<std::string> not_product{"store", "tests", "bench", "docs", "packaging", "node_modules"};

TEST(no_sql_outside_store, no_source_file_outside_store_holds_an_sql_statement) {
    const auto found = sql_lines(source_dir(), not_product);
    std::string listing;
    for (const auto& l : found)
        listing += "\n  " + l;
    EXPECT_TRUE(found.empty()) << "SQL outside store/ (move it into a store/ function):" << listing;
}

struct sample {
    const char* line;
    bool sql;
};

class sql_scanner : public ::testing::TestWithParam<sample> {};

TEST_P(sql_scanner, tells_an_sql_statement_in_a_string_from_other_text) {
    EXPECT_EQ(holds_sql(GetParam().line), GetParam().sql) << GetParam().line;
}

INSTANTIATE_TEST_SUITE_P(
    samples, sql_scanner,
    ::testing::Values(sample{R"x(    SQLite::Statement s(db, "SELECT code FROM sites");)x", true},
                      sample{R"x(        " WHERE EXISTS (SELECT 1 FROM team_members m)")x", true},
                      sample{R"x(    db.exec("INSERT INTO sites (code) VALUES (?1)");)x", true},
                      sample{R"x(    db.exec("INSERT OR IGNORE INTO sites (code) VALUES (?1)");)x", true},
                      sample{R"x(    db.exec("UPDATE sites SET active = 0");)x", true},
                      sample{R"x(    db.exec("DELETE FROM sites WHERE code = ?1");)x", true},
                      sample{R"x(    db.exec("SELECT * FROM outbox");)x", true},
                      sample{R"x(// SELECT the newest rows first: store/message_log.hpp)x", false},
                      sample{R"x(    out << "select a site: ";)x", false},
                      sample{R"x(    return user_error(inv, "report", "--format must be text");)x", false},
                      sample{R"x(    o["action"] = "update"; // UPDATE of a site)x", false},
                      sample{R"x(    "Press DELETE to remove the row")x", false}));

TEST(no_sql_outside_store, a_planted_query_is_named_with_its_file_and_line) {
    const fs::path root = fs::temp_directory_path() / ("kharuul-sqlscan-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "gateway");
    fs::create_directories(root / "store");
    std::ofstream(root / "gateway" / "planted.cpp") << "int a;\n"
                                                    << "auto s = \"SELECT id FROM messages\";\n";
    std::ofstream(root / "store" / "fine.cpp") << "auto s = \"SELECT id FROM messages\";\n";
    const auto found = sql_lines(root, not_product);
    fs::remove_all(root);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_TRUE(found[0].starts_with("gateway/planted.cpp:2: ")) << found[0];
}

} // namespace
} // namespace kharuul::testing

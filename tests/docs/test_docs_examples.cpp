// The examples in the documentation are kept true by this test. Every page under docs/ is read,
// and its fenced blocks tagged for it are run through the real binary with config/demo.toml:
//
//   ```sms      one message a line; each must be understood (kharuul parse: "ok": true),
//   ```reply    right after an sms block: the reply to each of its lines, compared with the one
//               kharuul parse gives (Mongolian when the reply is in Cyrillic; case numbers may be
//               written out, parse shows ###### for codes it would hand out);
//   ```season   lines as kharuul replay reads them ("TIME PHONE TEXT"), replayed into a fresh store;
//   ```outbox   right after a season block: "PHONE TEXT" lines that must be among the SMS the
//               season caused (replies, alerts, escalations, reminders), in this order.
//
// Blocks with other tags (toml, console, none) are prose. README.md's links into docs/ are
// checked too, and every relative link of the README and of the pages must name a file there.
#include "tests/docs/run_tool.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace kharuul::testing;
namespace fs = std::filesystem;
namespace json = boost::json;

struct block {
    fs::path page;
    std::size_t line = 0; // of the opening fence, 1-based
    std::string tag;
    std::vector<std::string> lines;
};

std::string where(const block& b) { return b.page.filename().string() + ":" + std::to_string(b.line); }

// The fenced blocks of a Markdown page, in order.
std::vector<block> blocks_of(const fs::path& page) {
    std::vector<block> out;
    std::istringstream in(read_file(page));
    std::size_t n = 0;
    std::optional<block> open;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.starts_with("```")) {
            if (open) {
                out.push_back(std::move(*open));
                open.reset();
            } else {
                std::string info = line.substr(3);
                open = block{page, n, info.substr(0, info.find(' ')), {}};
            }
            continue;
        }
        if (open)
            open->lines.push_back(line);
    }
    return out;
}

std::vector<fs::path> doc_pages() {
    std::vector<fs::path> pages;
    for (const auto& e : fs::directory_iterator(source_dir() / "docs"))
        if (e.path().extension() == ".md")
            pages.push_back(e.path());
    std::sort(pages.begin(), pages.end());
    return pages;
}

// A block and the one right after it (nullptr when the next block has another tag).
struct pair_of_blocks {
    block first;
    std::optional<block> second;
};

std::vector<pair_of_blocks> examples(std::string_view tag, std::string_view answer_tag) {
    std::vector<pair_of_blocks> out;
    for (const auto& page : doc_pages()) {
        const auto bs = blocks_of(page);
        for (std::size_t i = 0; i < bs.size(); ++i) {
            if (bs[i].tag != tag)
                continue;
            pair_of_blocks p{bs[i], std::nullopt};
            if (i + 1 < bs.size() && bs[i + 1].tag == answer_tag)
                p.second = bs[i + 1];
            out.push_back(std::move(p));
        }
    }
    return out;
}

bool has_cyrillic(const std::string& s) {
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0xD0 && b <= 0xD3)
            return true;
    }
    return false;
}

// Case numbers as parse shows the ones it would hand out.
std::string codes_hidden(const std::string& s) {
    return std::regex_replace(s, std::regex(R"((^|[^0-9])[0-9]{6,7}(?![0-9]))"), "$1######");
}

std::vector<std::string> non_blank(const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines)
        if (l.find_first_not_of(" \t") != std::string::npos)
            out.push_back(l);
    return out;
}

const fs::path demo() { return source_dir() / "config" / "demo.toml"; }

TEST(docs, the_pages_have_examples_for_this_test_to_check) {
    std::size_t sms = 0, seasons = 0;
    for (const auto& p : examples("sms", "reply"))
        sms += non_blank(p.first.lines).size();
    seasons = examples("season", "outbox").size();
    EXPECT_GE(sms, 10U);
    EXPECT_GE(seasons, 3U);
    for (const char* page : {"teams-and-alerts.md", "operators-guide.md"})
        EXPECT_TRUE(fs::exists(source_dir() / "docs" / page)) << page;
}

TEST(docs, every_sms_example_is_understood_and_answered_as_the_page_says) {
    for (const auto& p : examples("sms", "reply")) {
        const auto texts = non_blank(p.first.lines);
        std::vector<std::string> replies;
        if (p.second) {
            replies = non_blank(p.second->lines);
            ASSERT_EQ(replies.size(), texts.size())
                << where(p.first) << ": a reply block needs one reply per message";
        }
        for (std::size_t i = 0; i < texts.size(); ++i) {
            const std::string lang = !replies.empty() && has_cyrillic(replies[i]) ? "mn" : "en";
            const auto r = run_kharuul({"parse", "--config", demo().string(), "--lang", lang, texts[i]});
            ASSERT_EQ(r.status, 0) << where(p.first) << ": " << texts[i] << "\n" << r.err;
            boost::system::error_code ec;
            const auto v = json::parse(r.out, ec);
            ASSERT_FALSE(ec) << r.out;
            const auto& o = v.as_object();
            if (replies.empty()) {
                EXPECT_TRUE(o.at("ok").as_bool()) << where(p.first) << ": '" << texts[i] << "' is not understood: " << r.out;
                continue;
            }
            const std::string actual(o.at("reply").as_string());
            EXPECT_EQ(codes_hidden(replies[i]), codes_hidden(actual))
                << where(*p.second) << ": the reply to '" << texts[i] << "'";
        }
    }
}

TEST(docs, every_season_example_sends_the_sms_the_page_shows) {
    for (const auto& p : examples("season", "outbox")) {
        temp_dir dir;
        const fs::path config = demo_config_in(dir.path());
        const fs::path season = dir.path() / "season.txt";
        std::string text;
        for (const auto& l : p.first.lines)
            text += l + "\n";
        write_file(season, text);
        const auto replayed = run_kharuul({"replay", "--config", config.string(), "--quiet", season.string()});
        ASSERT_EQ(replayed.status, 0) << where(p.first) << ": " << replayed.out << replayed.err;
        if (!p.second)
            continue;
        const auto exported = run_kharuul({"export", "--config", config.string(), "--what", "outbox", "--format", "json"});
        ASSERT_EQ(exported.status, 0) << exported.err;
        std::vector<std::string> sent;
        const json::value rows = json::parse(exported.out);
        for (const auto& row : rows.as_array()) {
            const auto& o = row.as_object();
            sent.push_back(std::string(o.at("recipient").as_string()) + " " + std::string(o.at("text").as_string()));
        }
        std::string all;
        for (const auto& s : sent)
            all += "  " + s + "\n";
        std::size_t at = 0;
        for (const auto& expected : non_blank(p.second->lines)) {
            const auto found = std::find(sent.begin() + static_cast<std::ptrdiff_t>(at), sent.end(), expected);
            EXPECT_NE(found, sent.end()) << where(*p.second) << ": not sent (in this order):\n  " << expected
                                         << "\nwhat the season sent:\n" << all;
            if (found != sent.end())
                at = static_cast<std::size_t>(found - sent.begin()) + 1;
        }
    }
}

// Relative links ("[x](docs/page.md#part)") of a page; links with a scheme are left alone.
std::vector<std::string> relative_links(const fs::path& page) {
    std::vector<std::string> out;
    const std::string text = read_file(page);
    const std::regex link(R"(\]\(([^)\s#]+)(#[^)\s]*)?\))");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), link); it != std::sregex_iterator(); ++it) {
        const std::string target = (*it)[1].str();
        if (target.find("://") == std::string::npos && !target.starts_with("mailto:"))
            out.push_back(target);
    }
    return out;
}

TEST(docs, the_readme_links_every_page_and_nothing_outside_the_repository) {
    const fs::path readme = source_dir() / "README.md";
    const std::string text = read_file(readme);
    EXPECT_EQ(text.find("shared/spec"), std::string::npos) << "users of the repository cannot read the spec";
    for (const auto& page : doc_pages())
        EXPECT_NE(text.find("](docs/" + page.filename().string()), std::string::npos)
            << "README.md does not link docs/" << page.filename().string();
    std::vector<fs::path> pages = doc_pages();
    pages.push_back(readme);
    const fs::path root = fs::weakly_canonical(source_dir());
    for (const auto& page : pages)
        for (const auto& target : relative_links(page)) {
            const fs::path file = fs::weakly_canonical(page.parent_path() / target);
            EXPECT_TRUE(fs::exists(file)) << page.filename() << " links " << target << ", which is not there";
            EXPECT_EQ(file.string().rfind(root.string(), 0), 0U)
                << page.filename() << " links " << target << ", outside the repository";
        }
}

} // namespace

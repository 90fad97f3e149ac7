// `kharuul card` printed as a user prints it: the real binary writes the card for the demo
// configuration, headless Chromium (Debian's chromium) prints it to PDF, and poppler's pdfinfo and
// pdftotext read the PDF back: one A6 page, in both languages and for both audiences, with the
// configured sites and codes on it.
#include "tests/docs/run_tool.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <regex>
#include <string>

namespace {

using namespace kharuul::testing;
namespace fs = std::filesystem;

struct card_case {
    const char* lang;
    const char* audience;
    std::vector<std::string> printed; // words the PDF's text must hold
};

void PrintTo(const card_case& c, std::ostream* os) { *os << c.lang << " " << c.audience; }

class printed_card : public ::testing::TestWithParam<card_case> {};

// Pages of a PDF: pdfinfo's count, or the page objects when poppler-utils is not installed.
int page_count(const fs::path& pdf, std::string& size) {
    if (const auto info = find_program("pdfinfo"); !info.empty()) {
        const auto r = run_tool(info, {pdf.string()});
        std::smatch m;
        if (std::regex_search(r.out, m, std::regex(R"(Page size:\s*([0-9.]+) x ([0-9.]+) pts)")))
            size = m[1].str() + "x" + m[2].str();
        if (std::regex_search(r.out, m, std::regex(R"(Pages:\s*(\d+))")))
            return std::stoi(m[1].str());
        return -1;
    }
    const std::string bytes = read_file(pdf);
    const std::regex page(R"(/Type\s*/Page(?![a-zA-Z]))");
    return static_cast<int>(std::distance(std::sregex_iterator(bytes.begin(), bytes.end(), page), std::sregex_iterator()));
}

TEST_P(printed_card, fits_one_a6_page_with_the_configured_codes_on_it) {
    const auto& c = GetParam();
    const std::string chromium = find_program("chromium");
    if (chromium.empty())
        GTEST_SKIP() << "chromium is not installed (Debian package chromium; `make deps` installs it): "
                        "the card is not printed";
    temp_dir dir;
    const fs::path html = dir.path() / "card.html", pdf = dir.path() / "card.pdf";
    const auto made = run_kharuul({"card", "--config", (source_dir() / "config" / "demo.toml").string(), "--lang", c.lang,
                                   "--for", c.audience, "--out", html.string()});
    ASSERT_EQ(made.status, 0) << made.err;
    ASSERT_TRUE(fs::exists(html));

    const auto printed = run_tool(
        "timeout", {"120", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--user-data-dir=" + (dir.path() / "profile").string(), "--no-pdf-header-footer",
                    "--print-to-pdf=" + pdf.string(), "file://" + html.string()},
        {"HOME=" + dir.path().string()});
    ASSERT_EQ(printed.status, 0) << printed.err;
    ASSERT_TRUE(fs::exists(pdf)) << printed.err;

    std::string size;
    EXPECT_EQ(page_count(pdf, size), 1) << "the " << c.audience << " card in " << c.lang << " does not fit one page";
    if (!size.empty()) {
        // A6 is 105 x 148 mm: 297.6 x 419.5 points.
        const auto x = size.find('x');
        EXPECT_NEAR(std::stod(size.substr(0, x)), 297.6, 1.5) << size;
        EXPECT_NEAR(std::stod(size.substr(x + 1)), 419.5, 1.5) << size;
    }
    if (const auto to_text = find_program("pdftotext"); !to_text.empty()) {
        const auto text = run_tool(to_text, {"-enc", "UTF-8", pdf.string(), "-"});
        ASSERT_EQ(text.status, 0) << text.err;
        for (const auto& word : c.printed)
            EXPECT_NE(text.out.find(word), std::string::npos) << "'" << word << "' is not on the printed card:\n"
                                                              << text.out;
    }
}

INSTANTIATE_TEST_SUITE_P(
    card, printed_card,
    ::testing::Values(card_case{"en", "volunteer", {"NLK", "Nalaikh brickyard", "mining", "SHAFT", "Coordinator 2"}},
                      card_case{"mn", "volunteer", {"NLK", "уурхай", "ИД", "Тусламж", "Coordinator 1"}},
                      card_case{"en", "team", {"VER", "NOTFOUND", "withdrawn", "ACK", "30 min"}},
                      card_case{"mn", "team", {"VER", "гарсан", "Дохио", "ACK", "30 мин"}}),
    [](const auto& p) { return std::string(p.param.lang) + "_" + p.param.audience; });

} // namespace

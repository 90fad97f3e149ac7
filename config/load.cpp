#include "config/load.hpp"

#include "config/config_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

namespace kharuul::config {

namespace detail {
std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += separator;
        }
        out += items[i];
    }
    return out;
}


std::string choice_fix(std::string_view typed, const std::vector<std::string>& choices) {
    std::string fix = "use one of " + join(choices);
    if (const std::string near = nearest(typed, choices); !near.empty()) {
        fix = "did you mean " + near + "? (" + fix + ")";
    }
    return fix;
}

// "HH:MM" as minutes since midnight; "24:00" only when `allow_24`.
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text, bool allow_24) {
    if (text.size() != 5 || text[2] != ':') {
        return std::nullopt;
    }
    const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) {
        return std::nullopt;
    }
    const int h = (text[0] - '0') * 10 + (text[1] - '0');
    const int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24))) {
        return std::nullopt;
    }
    return std::chrono::minutes{h * 60 + m};
}

// "+08:00" / "-03:30" as minutes east of UTC, within -12:00 .. +14:00.
std::optional<std::chrono::minutes> parse_utc_offset(std::string_view text) {
    if (text.size() != 6 || (text[0] != '+' && text[0] != '-')) {
        return std::nullopt;
    }
    const auto time = parse_time_of_day(text.substr(1), false);
    if (!time) {
        return std::nullopt;
    }
    const auto offset = text[0] == '-' ? -*time : *time;
    if (offset < std::chrono::minutes{-12 * 60} || offset > std::chrono::minutes{14 * 60}) {
        return std::nullopt;
    }
    return offset;
}

bool is_http_url(std::string_view text) noexcept {
    const auto rest = text.starts_with("http://")    ? text.substr(7)
                      : text.starts_with("https://") ? text.substr(8)
                                                     : std::string_view{};
    return !rest.empty() && rest.find_first_of(" \t\r\n") == std::string_view::npos;
}

bool is_channel_name(std::string_view text) noexcept {
    return !text.empty() && text.size() <= 32 && std::ranges::all_of(text, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// "Aimag/Soum": non-empty parts separated by single '/'.
bool is_area(std::string_view text) noexcept {
    if (text.empty() || text.front() == '/' || text.back() == '/' ||
        text.find("//") != std::string_view::npos) {
        return false;
    }
    return text.find_first_of("\t\r\n") == std::string_view::npos && text.front() != ' ' &&
           text.back() != ' ';
}

bool is_service_code(std::string_view text) noexcept {
    if (text.size() < 3 || text.front() != '*' || text.back() != '#') {
        return false;
    }
    const auto middle = text.substr(1, text.size() - 2);
    return !middle.starts_with('*') && !middle.ends_with('*') &&
           std::ranges::all_of(middle, [](char c) { return (c >= '0' && c <= '9') || c == '*'; });
}

std::string upper_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}


std::string_view lang_name(parser::reply_language l) noexcept {
    return l == parser::reply_language::en ? "en" : "mn";
}

void config_reader::read_server(const toml::table& t) {
    table_reader r(t, "server", sink_);
    auto& s = config_.server;
    if (const auto listen = r.get_string("listen")) {
        if (const auto e = parse_endpoint(*listen)) {
            s.listen = *e;
        } else {
            sink_.error(r.where("listen"), r.path_of("listen"), in_quotes(*listen) + " is not host:port",
                        "write it as host:port, e.g. 127.0.0.1:8080");
        }
    }
    if (const auto url = r.get_string("public_url")) {
        if (is_http_url(*url)) {
            s.public_url = *url;
            while (s.public_url.ends_with('/')) {
                s.public_url.pop_back();
            }
        } else {
            sink_.error(
                r.where("public_url"), r.path_of("public_url"),
                in_quotes(*url) + " is not an http(s) URL",
                "write the address providers reach this gateway at, e.g. https://sms.example.org");
        }
    }
    read_duration(r, "read_timeout_seconds", s.read_timeout, 1, 3600, "seconds");
    read_duration(r, "write_timeout_seconds", s.write_timeout, 1, 3600, "seconds");
    read_duration(r, "idle_timeout_seconds", s.idle_timeout, 1, 86400, "seconds");
    read_duration(r, "shutdown_grace_seconds", s.shutdown_grace, 0, 600, "seconds");
    if (const auto v = r.get_integer("max_body_bytes", 1024, 16 * 1024 * 1024, "bytes")) {
        s.max_body_bytes = static_cast<std::size_t>(*v);
    }
    if (const auto v = r.get_integer("max_connections", 16, 1'000'000, "connections")) {
        s.max_connections = static_cast<std::size_t>(*v);
    }
    if (const auto token = r.get_string("metrics_token")) {
        s.metrics_token = *token;
    }
    if (const auto cc = r.get_string("country_code")) {
        const std::string_view digits = std::string_view(*cc).substr(cc->starts_with('+') ? 1 : 0);
        if (parser::is_country_code(digits)) {
            s.country_code = std::string(digits);
        } else {
            sink_.error(r.where("country_code"), r.path_of("country_code"),
                        in_quotes(*cc) + " is not a country calling code",
                        "write the country's calling code in digits, e.g. \"976\" (Mongolia)");
        }
    }
    r.report_unknown_keys();
}

void config_reader::derive_public_url() {
    auto& s = config_.server;
    if (!s.public_url.empty()) {
        return;
    }
    endpoint e = s.listen;
    if (e.host == "0.0.0.0") {
        e.host = "127.0.0.1";
    } else if (e.host == "::") {
        e.host = "::1";
    }
    s.public_url = "http://" + to_string(e);
}

void config_reader::read_store(const toml::table& t) {
    table_reader r(t, "store", sink_);
    auto& s = config_.store;
    if (const auto path = r.get_string("path")) {
        if (path->empty()) {
            sink_.error(r.where("path"), r.path_of("path"), "is empty",
                        "name the SQLite file, e.g. path = \"var/kharuul.db\"");
        } else {
            s.path = *path;
        }
    }
    if (const auto v = r.get_integer("max_batch_size", 1, 100000, "writes")) {
        s.max_batch_size = static_cast<std::size_t>(*v);
    }
    read_duration(r, "max_batch_delay_ms", s.max_batch_delay, 0, 1000, "milliseconds");
    read_duration(r, "busy_timeout_ms", s.busy_timeout, 0, 600000, "milliseconds");
    if (const auto v = r.get_integer("max_queue", 1, 1'000'000, "pending writes")) {
        s.max_queue = static_cast<std::size_t>(*v);
    }
    r.report_unknown_keys();
}

void config_reader::read_channels(table_reader& root) {
    const std::vector<std::string> types{"generic", "kannel", "twilio", "africastalking", "log", "smpp"};
    const auto tables = root.get_tables("channels");
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (tables[i] == nullptr) {
            continue;
        }
        table_reader r(*tables[i], index_path("channels", i), sink_);
        channel_config c;
        const auto name =
            r.get_string("name", true, "add name = \"kannel\": the path segment in /channels/{name}/");
        c.name = name.value_or(""); // for messages; kept only when the channel is good
        const auto type =
            read_choice<channel_type>(r, "type", channel_type_from, types, "a channel type", true);
        if (!type || has_http_inbound(*type)) {
            inbound_named_ = true; // even when the channel has a problem of its own (or no type yet)
        }
        c.secret = r.get_string("secret").value_or("");
        c.send_url = r.get_string("send_url").value_or("");
        c.username = r.get_string("username").value_or("");
        c.password = r.get_string("password").value_or("");
        c.account_sid = r.get_string("account_sid").value_or("");
        c.auth_token = r.get_string("auth_token").value_or("");
        c.api_key = r.get_string("api_key").value_or("");
        c.ca_file = r.get_string("ca_file").value_or("");
        c.allow_insecure = r.get_bool("allow_insecure").value_or(false);
        c.sender = r.get_string("sender").value_or("");
        const auto address = r.get_string("address");
        read_duration(r, "timeout_seconds", c.timeout, 1, 300, "seconds");
        r.report_unknown_keys();

        bool ok = name && type;
        if (name && !is_channel_name(*name)) {
            sink_.error(r.where("name"), r.path_of("name"),
                        in_quotes(*name) + " cannot be a URL path segment",
                        "use lower-case letters, digits, - and _, e.g. \"kannel\"");
            ok = false;
        } else if (name) {
            if (const auto [it, inserted] = channel_names_.emplace(*name, r.path_of("name")); !inserted) {
                sink_.error(r.where("name"), r.path_of("name"),
                            in_quotes(*name) + " is also " + it->second,
                            "give each channel its own name");
                ok = false;
            }
        }
        if (!c.send_url.empty() && !is_http_url(c.send_url)) {
            sink_.error(r.where("send_url"), r.path_of("send_url"),
                        in_quotes(c.send_url) + " is not an http(s) URL",
                        "write the provider's URL, e.g. http://127.0.0.1:13013/cgi-bin/sendsms");
            ok = false;
        }
        if (address) {
            if (const auto e = parse_endpoint(*address)) {
                c.address = *e;
            } else {
                sink_.error(r.where("address"), r.path_of("address"),
                            in_quotes(*address) + " is not host:port",
                            "write the SMSC's address as host:port, e.g. 10.0.0.5:2775");
                ok = false;
            }
        }
        if (type) {
            c.type = *type;
            if (c.send_url.empty() && c.type == channel_type::twilio)
                c.send_url = default_twilio_url;
            if (c.send_url.empty() && c.type == channel_type::africastalking)
                c.send_url = default_africastalking_url;
            ok = check_channel_fields(r, c) && ok;
            ok = check_channel_transport(r, c) && ok;
        }
        if (ok) {
            c.name = *name;
            channel_at_.emplace(c.name, std::pair{r.path(), r.where()});
            config_.channels.push_back(std::move(c));
        }
    }
}

// Without a channel that takes HTTP requests every /channels/*/receive answers 404, which
// providers take as final: messages would be refused for good, not retried.
void config_reader::check_inbound_channel(table_reader& root) {
    if (inbound_named_) {
        return;
    }
    std::string have;
    for (const auto& c : config_.channels) {
        have += (have.empty() ? " (there is only " : ", ") + c.name + ", type " +
                std::string(channel_type_name(c.type));
    }
    if (!have.empty()) {
        have += ", which receives nothing over HTTP)";
    }
    sink_.error(config_.channels.empty() ? toml::source_position{} : root.where("channels"), "channels",
                "no channel receives messages" + have +
                    ": every provider request to /channels/{name}/receive would get 404 and the "
                    "messages would be lost",
                "add a [[channels]] entry of type generic, kannel, twilio or africastalking, e.g. "
                "name = \"generic\", type = \"generic\", secret = \"...\"");
}

bool config_reader::check_channel_fields(table_reader& r, const channel_config& c) {
    const std::string type(channel_type_name(c.type));
    bool ok = true;
    const auto require = [&](std::string_view key, const std::string& value, std::string_view why,
                             std::string_view fix) {
        if (value.empty()) {
            sink_.error(r.where(), r.path_of(key),
                        "a " + type + " channel needs " + std::string(key) + ": " + std::string(why),
                        std::string(fix));
            ok = false;
        }
    };
    if (needs_secret(c.type)) {
        require(
            "secret", c.secret, "inbound requests without it are refused",
            "add secret = \"...\", a long random string that the provider's callback URL also carries");
    }
    if (c.type == channel_type::twilio) {
        require("account_sid", c.account_sid, "the Account SID that sends through Twilio's API",
                "add account_sid = \"AC...\" from the Twilio console");
        require("auth_token", c.auth_token, "the auth token that signs Twilio's requests",
                "add auth_token = \"...\", the auth token from the Twilio console");
    }
    if (c.type == channel_type::africastalking) {
        require("username", c.username, "the Africa's Talking application's username",
                "add username = \"...\" (\"sandbox\" for their sandbox)");
        require("api_key", c.api_key, "the API key that sends through their messaging API",
                "add api_key = \"...\" from the Africa's Talking dashboard");
    }
    if (c.type == channel_type::smpp) {
        if (!c.address) {
            sink_.error(r.where(), r.path_of("address"),
                        "an smpp channel needs address: the SMSC to bind to",
                        "add address = \"host:2775\"");
            ok = false;
        }
        require("username", c.username, "the system_id to bind with",
                "add username = \"...\" (system_id)");
        require("password", c.password, "the password to bind with", "add password = \"...\"");
    }
    return ok;
}

} // namespace detail

using detail::config_reader;
using detail::in_quotes;
using detail::problem_sink;

load_result parse_config(std::string_view text, std::string_view source_name) {
    problem_sink sink{std::string(source_name)};
    load_result result;
    toml::table root;
    try {
        root = toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
        sink.error(e.source().begin, "", std::string(e.description()),
                   "correct the TOML syntax here: quotes around text, brackets, one key = value per line");
        result.problems = sink.take();
        return result;
    }
    gateway_config config = config_reader(sink).read(root);
    if (!sink.has_errors()) {
        result.config = std::move(config);
    }
    result.problems = sink.take();
    return result;
}

std::vector<problem> check_registry(const gateway_config& c, std::string_view source_name,
                                    const stored_registry* store, std::string_view store_path) {
    std::vector<problem> out;
    const auto missing = [&](std::string key, std::string what, std::string fix) {
        std::string message = "no " + key + ": " + what;
        if (store == nullptr) {
            message += ", and the store " + std::string(store_path) + " does not exist yet to hold any";
        } else {
            message += ", and the store " + std::string(store_path) + " holds none";
        }
        out.push_back(problem{std::string(source_name), 0, 0, key, std::move(message), std::move(fix),
                              severity::error});
    };
    if (c.sites.empty() && (store == nullptr || store->sites.empty())) {
        missing("sites", "every report would name an unknown site",
                "add a [[sites]] entry, e.g. code = \"ALT\", area = \"Bayankhongor/Bayan-Ovoo\"");
    }
    if (c.teams.empty() && (store == nullptr || store->team_areas.empty())) {
        missing("teams", "alerts would reach nobody",
                "add a [[teams]] entry with areas and members, one of them role = \"leader\"");
    } else if (c.teams.empty()) {
        for (const auto& site : c.sites) {
            if (std::ranges::none_of(store->team_areas,
                                     [&](const std::string& a) { return area_covers(a, site.area); })) {
                out.push_back(problem{std::string(source_name), 0, 0, "sites",
                                      "no team in the store covers " + in_quotes(site.area) +
                                          ", so reports from " + site.code + " would alert nobody",
                                      "add a [[teams]] entry covering " + in_quotes(site.area),
                                      severity::error});
            }
        }
    }
    return out;
}

load_result load_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        load_result result;
        result.problems.push_back(problem{path.string(), 0, 0, "",
                                          "cannot read the file: " + std::string(std::strerror(err)),
                                          "check the path given to --config", severity::error});
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path.string());
}

} // namespace kharuul::config

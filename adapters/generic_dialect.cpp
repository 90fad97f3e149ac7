// The generic dialect: any HTTP client POSTs `from`, `to`, `text` and optionally `id` (the
// provider's message id) and `time` (ISO 8601 or unix seconds), form-encoded or as a JSON object,
// and gets JSON back: {"message_id", "reply", "status"} or {"error"}. USSD (docs/ussd.md): each
// step POSTs `session_id`, `from` and `text` (the last input only; empty or absent on the first
// request), optionally `service_code`, and gets text/plain "CON <screen>" or "END <screen>"; the
// end-of-session notice POSTs `session_id` and `status` (completed, incomplete or failed).

#include "adapters/dialect.hpp"

#include "adapters/charset.hpp"
#include "adapters/http_input.hpp"
#include "adapters/phone.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <initializer_list>
#include <map>
#include <unordered_set>
#include <vector>

namespace kharuul::adapters {

namespace {

// The fields as they arrived, before checks; nullopt = absent.
struct raw_fields {
    std::optional<std::string> from, to, text, id, time;
};

request_error bad_request(std::string reason) {
    return {errc::bad_request, std::move(reason)};
}

result<raw_fields> read_form(std::string_view body) {
    const auto form = form_fields::parse(body);
    if (!form) {
        return bad_request("the form body is not valid application/x-www-form-urlencoded");
    }
    if (const auto name = form->repeated()) {
        return bad_request(repeated_field_reason(*name));
    }
    return raw_fields{form->get("from"), form->get("to"), form->get("text"), form->get("id"),
                      form->get("time")};
}

// A JSON member that must be a string when present.
result<std::optional<std::string>> json_string(const boost::json::object& obj, std::string_view key) {
    const auto* v = obj.if_contains(key);
    if (v == nullptr) {
        return std::optional<std::string>();
    }
    if (!v->is_string()) {
        return bad_request("field '" + std::string(key) + "' must be a string");
    }
    return std::optional<std::string>(std::string(v->get_string()));
}

// Numbers are taken as their decimal text: providers send numeric ids, unix times, and phone
// numbers without '+' as numbers.
result<std::optional<std::string>> json_string_or_number(const boost::json::object& obj,
                                                         std::string_view key) {
    const auto* v = obj.if_contains(key);
    if (v == nullptr || !v->is_number()) {
        return json_string(obj, key);
    }
    if (v->is_int64()) {
        return std::optional<std::string>(std::to_string(v->get_int64()));
    }
    if (v->is_uint64()) {
        return std::optional<std::string>(std::to_string(v->get_uint64()));
    }
    const double d = v->get_double(); // fractional unix seconds: the fraction is dropped
    if (!std::isfinite(d) || d < 0 || d > 1e15) {
        return bad_request("field '" + std::string(key) + "' is out of range");
    }
    return std::optional<std::string>(std::to_string(static_cast<std::int64_t>(d)));
}

// A boost::json::basic_parser handler that builds nothing and stops at the first key given twice
// in one object, at any depth. boost::json::parse keeps the last of duplicate keys silently, so
// read_json runs this over the body first. Keys are kept per open object; arrays push nothing.
class duplicate_key_finder {
public:
    static constexpr std::size_t max_array_size = -1;
    static constexpr std::size_t max_object_size = -1;
    static constexpr std::size_t max_string_size = -1;
    static constexpr std::size_t max_key_size = -1;

    // The key found twice; nullopt when none was (or the body is not JSON: parse says why).
    const std::optional<std::string>& repeated() const noexcept { return repeated_; }

    bool on_document_begin(boost::system::error_code&) { return true; }
    bool on_document_end(boost::system::error_code&) { return true; }
    bool on_array_begin(boost::system::error_code&) { return true; }
    bool on_array_end(std::size_t, boost::system::error_code&) { return true; }
    bool on_object_begin(boost::system::error_code&) {
        objects_.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t, boost::system::error_code&) {
        objects_.pop_back();
        return true;
    }
    bool on_string_part(boost::json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_string(boost::json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_key_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
        key_.append(s.data(), s.size());
        return true;
    }
    bool on_key(boost::json::string_view s, std::size_t, boost::system::error_code& ec) {
        key_.append(s.data(), s.size());
        if (!objects_.back().insert(key_).second) {
            repeated_ = std::move(key_);
            ec = make_error_code(errc::bad_request);
            return false;
        }
        key_.clear();
        return true;
    }
    bool on_number_part(boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_int64(std::int64_t, boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_uint64(std::uint64_t, boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_double(double, boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_bool(bool, boost::system::error_code&) { return true; }
    bool on_null(boost::system::error_code&) { return true; }
    bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }

private:
    std::vector<std::unordered_set<std::string>> objects_;
    std::string key_;
    std::optional<std::string> repeated_;
};

// The first key given twice in one object of `body`, at any depth; nullopt when there is none or
// when `body` is not JSON (boost::json::parse then says what is wrong).
std::optional<std::string> repeated_json_key(std::string_view body) {
    boost::json::basic_parser<duplicate_key_finder> p{boost::json::parse_options{}};
    boost::system::error_code ec;
    p.write_some(false, body.data(), body.size(), ec);
    return p.handler().repeated();
}

result<raw_fields> read_json(std::string_view body) {
    if (const auto key = repeated_json_key(body)) {
        return bad_request(repeated_field_reason(*key));
    }
    boost::system::error_code ec;
    const boost::json::value doc = boost::json::parse(body, ec);
    if (ec) {
        return bad_request("the body is not valid JSON: " + ec.message());
    }
    if (!doc.is_object()) {
        return bad_request("the JSON body must be an object");
    }
    const auto& obj = doc.get_object();
    raw_fields f;
    if (auto text = json_string(obj, "text")) {
        f.text = std::move(*text);
    } else {
        return text.error();
    }
    for (auto [key, out] : {std::pair{"from", &f.from}, {"to", &f.to}, {"id", &f.id}, {"time", &f.time}}) {
        auto s = json_string_or_number(obj, key);
        if (!s) {
            return s.error();
        }
        *out = std::move(*s);
    }
    return f;
}

// The USSD fields of a form or JSON body: every value a string (numbers taken as their text).
result<std::map<std::string, std::string, std::less<>>> read_ussd_fields(const request& req,
                                                                         std::initializer_list<std::string_view> keys) {
    const std::string media = media_type(std::string(req[http::field::content_type]));
    std::map<std::string, std::string, std::less<>> out;
    if (media == "application/x-www-form-urlencoded") {
        const auto form = form_fields::parse(req.body());
        if (!form)
            return bad_request("the form body is not valid application/x-www-form-urlencoded");
        if (const auto name = form->repeated())
            return bad_request(repeated_field_reason(*name));
        for (const auto key : keys)
            if (auto v = form->get(key))
                out.emplace(std::string(key), std::move(*v));
    } else if (media == "application/json") {
        if (const auto key = repeated_json_key(req.body()))
            return bad_request(repeated_field_reason(*key));
        boost::system::error_code ec;
        const boost::json::value doc = boost::json::parse(req.body(), ec);
        if (ec)
            return bad_request("the body is not valid JSON: " + ec.message());
        if (!doc.is_object())
            return bad_request("the JSON body must be an object");
        for (const auto key : keys) {
            auto v = json_string_or_number(doc.get_object(), key);
            if (!v)
                return v.error();
            if (*v)
                out.emplace(std::string(key), std::move(**v));
        }
    } else {
        return request_error{errc::unsupported_media_type,
                             "send application/x-www-form-urlencoded or application/json, not '" +
                                 (media.empty() ? std::string("(none)") : media) + "'"};
    }
    for (const auto& [key, value] : out)
        if (!is_valid_utf8(value))
            return bad_request("field '" + key + "' is not valid UTF-8");
    return out;
}

class generic_dialect_impl final : public dialect {
public:
    using dialect::failed;

    std::string_view type() const noexcept override { return "generic"; }

    result<inbound_sms> parse_inbound(const request& req, const channel_settings& channel) const override {
        if (req.method() != http::verb::post) {
            return request_error{errc::method_not_allowed, "use POST"};
        }
        const std::string content_type(req[http::field::content_type]);
        const std::string media = media_type(content_type);
        result<raw_fields> fields = raw_fields{};
        if (media == "application/x-www-form-urlencoded") {
            fields = read_form(req.body());
        } else if (media == "application/json") {
            fields = read_json(req.body());
        } else {
            return request_error{errc::unsupported_media_type,
                                 "send application/x-www-form-urlencoded or application/json, not '" +
                                     (media.empty() ? std::string("(none)") : media) + "'"};
        }
        if (!fields) {
            return fields.error();
        }
        raw_fields& f = *fields;
        for (auto [name, value] : {std::pair{"from", &f.from}, {"text", &f.text}}) {
            if (!value->has_value()) {
                return bad_request(std::string("missing field '") + name + "'");
            }
        }
        for (auto [name, value] :
             {std::pair{"from", &f.from}, {"to", &f.to}, {"text", &f.text}, {"id", &f.id}}) {
            if (value->has_value() && !is_valid_utf8(**value)) {
                return bad_request(std::string("field '") + name + "' is not valid UTF-8");
            }
        }
        inbound_sms sms;
        sms.channel = channel.name;
        sms.from = normalise_phone(*f.from, channel.country_code);
        if (sms.from.empty()) {
            return bad_request("field 'from' is empty");
        }
        if (!is_sender_number(sms.from)) {
            return bad_request("field 'from' is not a phone number");
        }
        sms.to = normalise_phone(f.to.value_or(""), channel.country_code);
        sms.text = std::move(*f.text);
        sms.provider_id = f.id.value_or("");
        if (f.time && !f.time->empty()) {
            sms.observed_at = parse_timestamp(*f.time);
            if (!sms.observed_at) {
                return bad_request("field 'time' is neither ISO 8601 nor unix seconds");
            }
        }
        return sms;
    }

    result<ussd_request> parse_ussd(const request& req, const channel_settings& channel) const override {
        if (req.method() != http::verb::post)
            return request_error{errc::method_not_allowed, "use POST"};
        auto fields = read_ussd_fields(req, {"session_id", "from", "text", "service_code"});
        if (!fields)
            return fields.error();
        auto& f = *fields;
        for (const char* name : {"session_id", "from"})
            if (!f.contains(name) || f[name].empty())
                return bad_request(std::string("missing field '") + name + "'");
        ussd_request r;
        r.channel = channel.name;
        r.session_id = f["session_id"];
        r.from = normalise_phone(f["from"], channel.country_code);
        if (!is_sender_number(r.from))
            return bad_request("field 'from' is not a phone number");
        r.service_code = f.contains("service_code") ? f["service_code"] : std::string{};
        // The last input only; the first request of a session carries none.
        if (f.contains("text") && !f["text"].empty())
            r.inputs.push_back(f["text"]);
        r.cumulative = false;
        return r;
    }

    result<ussd_session_end> parse_ussd_end(const request& req, const channel_settings& channel) const override {
        if (req.method() != http::verb::post)
            return request_error{errc::method_not_allowed, "use POST"};
        auto fields = read_ussd_fields(req, {"session_id", "from", "status"});
        if (!fields)
            return fields.error();
        auto& f = *fields;
        if (!f.contains("session_id") || f["session_id"].empty())
            return bad_request("missing field 'session_id'");
        ussd_session_end e;
        e.channel = channel.name;
        e.session_id = f["session_id"];
        if (f.contains("from"))
            e.from = normalise_phone(f["from"], channel.country_code);
        const std::string status = f.contains("status") ? f["status"] : std::string("incomplete");
        if (status == "completed")
            e.status = ussd_session_end::outcome::completed;
        else if (status == "incomplete")
            e.status = ussd_session_end::outcome::incomplete;
        else if (status == "failed")
            e.status = ussd_session_end::outcome::failed;
        else
            return bad_request("field 'status' must be completed, incomplete or failed");
        return e;
    }

    response stored(const request& req, std::int64_t message_id, std::string_view status,
                    std::string_view reply) const override {
        response res(http::status::ok, req.version());
        res.keep_alive(req.keep_alive());
        res.set(http::field::content_type, "application/json");
        res.set(http::field::cache_control, "no-store");
        res.body() = boost::json::serialize(boost::json::object{
            {"message_id", message_id},
            {"reply", reply},
            {"status", status},
        });
        res.prepare_payload();
        return res;
    }

    response failed(const request& req, http::status status, std::string_view reason) const override {
        return make_failure(req, status, boost::json::serialize(boost::json::object{{"error", reason}}),
                            "application/json");
    }
};

} // namespace

const dialect& generic_dialect() noexcept {
    static const generic_dialect_impl instance;
    return instance;
}

} // namespace kharuul::adapters

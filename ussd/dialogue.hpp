// The USSD dialogue as a pure state machine (spec/ussd.md): inputs in, the next screen (CON) or a
// completed report (its equivalent SMS in canonical Latin form, "ID ALT 2B 12 MINE SHAFT", which
// parser::parse_sms accepts, plus the steps) or an END screen out. No sockets, no clock reads.
//
// Providers differ in what they send: Africa's Talking sends every input of the session so far
// (cumulative), others only the last one. The dialogue is therefore a fold over the whole input
// history, rebuilt on every step (run_dialogue); for a provider that sends the last input only,
// the caller appends it to the history it holds (ussd/session_table.hpp does).
//
// Rules: an input that does not fit the screen re-asks the same screen with a short reason on the
// line above it; "0" goes back one screen, "00" to the top; the site screen lists the sender's
// own sites first, then "9 Other site code"; sex 3 (boys and girls) asks how many boys; ID and
// RISK end on a confirm screen (1 Send, 2 Cancel); a resumable dialogue is first offered
// ("Continue your report at step N? 1 Yes 2 Start again"), and the answer to the offer is the
// first input of the history. Unregistered numbers get an END screen saying how to register.
#pragma once

#include "parser/lexicon.hpp"
#include "parser/reply.hpp"
#include "ussd/menu.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::ussd {

// The screens of the dialogue.
enum class screen : std::uint8_t {
    top, site, site_code, children, sex, boys, age, work, danger, risk_reason, confirm, case_code, school,
    work_now, resume,
};
// "top", "site", "site_code", ... (the step names of `ussd_abandoned` and of the steps text).
std::string_view screen_name(screen s) noexcept;

struct site_choice {
    std::string code; // canonical site code
    std::string name; // may be empty; dropped from the screen first when it is too long
};

// What the dialogue knows of the sender, fixed for a session (looked up once, at its start).
struct sender_profile {
    bool registered = false;
    parser::reply_language lang = parser::reply_language::en;
    std::vector<site_choice> own_sites; // listed first on the site screen, in this order (at most 8)
    std::string service_code = "*500#"; // named by the unregistered END screen
};

// One answered screen: the input as typed and what it means (a site code, a number, a code).
struct answer {
    screen at = screen::top;
    std::string input;
    std::string value;
};

struct completed_report {
    parser::form form = parser::form::id;
    std::string sms_text;       // the equivalent SMS, canonical Latin: "ID ALT 2B 12 MINE SHAFT"
    std::vector<answer> steps;  // every answered screen, top first
};

struct dialogue_state {
    enum class kind : std::uint8_t {
        screen,    // `text` is the screen to show (CON): the dialogue goes on
        completed, // `report` is done; the caller takes it in and words the END with end_screen()
        ended,     // `text` is the END screen (cancelled, help, unregistered); nothing to record
    };
    kind what = kind::screen;
    std::string text;
    std::optional<completed_report> report;
    screen at = screen::top; // the screen shown (completed, ended: the last one answered)
    // The screen's number in the dialogue: the answered screens + 1 ("Continue at step N").
    int step = 1;
    // The answers that lead from the top to this state (the inputs to replay to reach it again):
    // what a resumption starts from. Navigation ("0", "00") and refused inputs are not in it.
    std::vector<std::string> answers;
    std::vector<answer> steps;       // the same answers with what each meant
    std::optional<parser::form> form; // chosen at the top (HELP included), when one was
    bool offer_answered = false; // a resume offer was made and answered
    bool resumed = false;        // ... with "1 Yes"
};

// The dialogue after `inputs` (oldest first). With `resumable` (the answers of an abandoned
// dialogue, dialogue_state::answers) non-empty, the first screen is the resume offer and
// inputs[0] answers it. Inputs after the dialogue completed or ended are ignored. Every screen
// fits ussd/screen.hpp's limit for the menu's texts (check_menu verifies a configured menu).
dialogue_state run_dialogue(const menu& m, const parser::lexicon& lex, const sender_profile& who,
                            std::span<const std::string> resumable, std::span<const std::string> inputs);

// The machine the fold runs, for callers that step it themselves (the property tests walk every
// path): feed one input at a time.
class dialogue_fsm {
public:
    dialogue_fsm(const menu& m, const parser::lexicon& lex, const sender_profile& who,
                 std::span<const std::string> resumable = {});

    void feed(std::string_view input);
    // The current state (the screen to show, or how it ended).
    dialogue_state state() const;

    // The choices the current screen accepts as typed ("1".."n", or sample numbers for typed
    // answers, or a known site code): for walking every path.
    std::vector<std::string> sample_inputs() const;

private:
    const menu* m_;
    const parser::lexicon* lex_;
    const sender_profile* who_;
    std::vector<std::string> resumable_;
    std::vector<site_choice> sites_; // the own sites the site screen shows
    int resume_step_ = 1;         // the step the resumable answers reach
    bool offering_ = false;       // the resume offer is on screen
    bool offer_answered_ = false;
    bool resumed_ = false;
    std::vector<answer> stack_;   // the answered screens, top first
    std::string reason_;          // why the screen is re-asked ("" when not)
    enum class end_kind : std::uint8_t { none, completed, cancelled, help } end_ = end_kind::none;

    screen current() const;
    void accept(std::string_view input);
    std::string render() const;
    const std::string* value_of(screen s) const;
    std::optional<parser::form> chosen_form() const;
    completed_report report() const;
};

// What the intake made of a completed report, for its END screen.
struct intake_result {
    enum class status : std::uint8_t { accepted, rejected, duplicate, unregistered };
    status what = status::accepted;
    std::vector<std::string> case_codes; // ID, RISK
    bool alerted = false;                // the team was alerted
    std::string reply;                   // the SMS reply the same report would get
};

// The END screen after a completed report: "Sent. Cases 100009 100014. Team alerted.", "Visit
// recorded at ALT.", "Saved: 100009 in non-formal education, not working."; for a refused report
// (an unknown case, a closed one ...) the SMS reply itself, which says why. Fits one screen.
std::string end_screen(const menu& m, const parser::lexicon& lex, parser::reply_language lang,
                       const completed_report& report, const intake_result& result);

// The steps as one line for the message log: "top:1=ID site:1=ALT children:2 ... confirm:1".
std::string describe_steps(const std::vector<answer>& steps);

} // namespace kharuul::ussd

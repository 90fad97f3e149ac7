#include "ussd/screen.hpp"

namespace kharuul::ussd {

parser::segment_measure measure_screen(std::string_view utf8) noexcept {
    parser::segment_measure m = parser::measure_sms(utf8);
    m.limit = m.encoding == parser::sms_encoding::gsm7 ? gsm7_screen_limit : ucs2_screen_limit;
    return m;
}

bool fits_screen(std::string_view utf8) noexcept { return measure_screen(utf8).fits(); }

} // namespace kharuul::ussd

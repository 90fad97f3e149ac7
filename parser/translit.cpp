#include "parser/translit.hpp"

#include "parser/text.hpp"

namespace kharuul::parser {

std::string_view mns_latin(char32_t upper) noexcept {
    switch (upper) {
    case 0x0410: return "A";  // А
    case 0x0411: return "B";  // Б
    case 0x0412: return "V";  // В
    case 0x0413: return "G";  // Г
    case 0x0414: return "D";  // Д
    case 0x0415: return "YE"; // Е
    case 0x0401: return "YO"; // Ё
    case 0x0416: return "J";  // Ж
    case 0x0417: return "Z";  // З
    case 0x0418: return "I";  // И
    case 0x0419: return "I";  // Й
    case 0x041A: return "K";  // К
    case 0x041B: return "L";  // Л
    case 0x041C: return "M";  // М
    case 0x041D: return "N";  // Н
    case 0x041E: return "O";  // О
    case 0x04E8: return "O";  // Ө (the standard: Ö)
    case 0x041F: return "P";  // П
    case 0x0420: return "R";  // Р
    case 0x0421: return "S";  // С
    case 0x0422: return "T";  // Т
    case 0x0423: return "U";  // У
    case 0x04AE: return "U";  // Ү (the standard: Ü)
    case 0x0424: return "F";  // Ф
    case 0x0425: return "KH"; // Х
    case 0x0426: return "TS"; // Ц
    case 0x0427: return "CH"; // Ч
    case 0x0428: return "SH"; // Ш
    case 0x0429: return "SH"; // Щ
    case 0x042A: return "I";  // Ъ
    case 0x042B: return "Y";  // Ы
    case 0x042C: return "I";  // Ь
    case 0x042D: return "E";  // Э
    case 0x042E: return "YU"; // Ю
    case 0x042F: return "YA"; // Я
    default: return {};
    }
}

std::string transliterate(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char c = text[pos];
        if (static_cast<unsigned char>(c) < 0x80) { // most tokens are ASCII: no decoding
            out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - ('a' - 'A')) : c);
            ++pos;
            continue;
        }
        const char32_t cp = to_upper(next_code_point(text, pos));
        if (const std::string_view latin = mns_latin(cp); !latin.empty()) {
            out.append(latin);
        } else if (cp == 0x00D6 || cp == 0x00F6) { // Ö ö
            out.push_back('O');
        } else if (cp == 0x00DC || cp == 0x00FC) { // Ü ü
            out.push_back('U');
        } else {
            append_utf8(out, cp);
        }
    }
    return out;
}

} // namespace kharuul::parser

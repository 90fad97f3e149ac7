#include "parser/language.hpp"

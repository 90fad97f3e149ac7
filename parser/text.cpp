#include "parser/text.hpp"

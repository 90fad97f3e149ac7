#include "parser/case_code.hpp"

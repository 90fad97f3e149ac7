#include "parser/suggest.hpp"

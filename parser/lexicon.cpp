#include "parser/lexicon.hpp"

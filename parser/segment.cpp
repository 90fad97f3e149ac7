#include "parser/segment.hpp"

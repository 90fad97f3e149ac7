#include "parser/reply.hpp"

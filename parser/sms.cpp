#include "parser/sms.hpp"

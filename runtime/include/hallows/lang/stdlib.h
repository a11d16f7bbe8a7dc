// Runtime functions bound by the .pt standard library.
#pragma once

#include "hallows/lang/std_math.h"
#include "hallows/lang/std_strings.h"
#include "hallows/lang/std_time.h"

// JSON for the language's types: writing (json_write.h) and strict reading (json_read.h).
#pragma once

#include "hallows/lang/json_read.h"
#include "hallows/lang/json_write.h"

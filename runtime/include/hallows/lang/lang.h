// Everything generated code needs from the language-support runtime.
#pragma once

#include "hallows/lang/base.h"
#include "hallows/lang/base64.h"
#include "hallows/lang/collections.h"
#include "hallows/lang/cow.h"
#include "hallows/lang/decode.h"
#include "hallows/lang/json.h"
#include "hallows/lang/rfc3339.h"
#include "hallows/lang/stdlib.h"
#include "hallows/lang/text.h"
#include "hallows/lang/utf8.h"
#include "hallows/lang/validate.h"

// The Parseltongue grammar: the one source of truth for the syntax of `.pt` files.
//
// Layout is free: newlines are whitespace and statements need no terminator, because every
// statement starts with a keyword (`let_immutable_var`, `set_var`, `if`, ...) or is a call.
// Keywords are long on purpose (see docs/reference.md). The dialect constructs that this parsel
// cannot build yet (oltp_table, olap_table, nagini_component) are parsed loosely here so that the
// checker can say "not yet supported" in words instead of failing with a syntax error.
// Slytherin's topics and consumers have their own rules (topicDecl, consumerDecl), and so do
// Basilisk's services and routes (serviceDecl, routeDecl).
grammar Parseltongue;

@lexer::members {
  // Set when `unsafe_cpp` has been lexed: the next `{ ... }` is raw C++ (one token).
  bool cpp_block_pending_ = false;
  // At a `{`: with a block pending and balanced braces ahead, consumes through the balancing `}`
  // (the token stays CPP_BLOCK); otherwise the token is a plain `{`.
  void take_cpp_block() {
    if (cpp_block_pending_) {
      size_t depth = 1;
      for (ssize_t n = 1;; ++n) {
        size_t c = _input->LA(n);
        if (c == antlr4::Token::EOF) break;  // unbalanced: a plain `{`
        if (c == '{') ++depth;
        if (c == '}' && --depth == 0) {
          for (ssize_t i = 0; i < n; ++i) {
            getInterpreter<antlr4::atn::LexerATNSimulator>()->consume(_input);
          }
          cpp_block_pending_ = false;
          return;
        }
      }
    }
    setType(LBRACE);
  }
}

// ---------------------------------------------------------------------------------------------
// Files and declarations

file_: moduleDecl? importDecl* declaration* EOF;

moduleDecl: MODULE qualifiedName;
importDecl: IMPORT qualifiedName;
qualifiedName: IDENT ('.' IDENT)*;

declaration
    : schemaDecl
    | enumDecl
    | functionDecl
    | runtimeFunctionDecl
    | programDecl
    | partitionDecl
    | channelDecl
    | taskDecl
    | receiverDecl
    | topicDecl
    | consumerDecl
    | serviceDecl
    | routeDecl        // only inside a service: the AST builder reports one out here
    | dialectDecl
    ;

schemaDecl: SCHEMA IDENT '{' fieldDecl* '}';
fieldDecl: FIELD IDENT ':' typeRef ('=' expression)? validateClause*;
validateClause: VALIDATE IDENT '(' (expression (',' expression)*)? ')';

enumDecl: ENUM IDENT '{' IDENT (',' IDENT)* ','? '}';

functionDecl: FUNCTION IDENT '(' paramList? ')' (RETURNS typeRef)? block;
paramList: param (',' param)*;
param: IDENT ':' typeRef;

// A function whose body is a C++ function of the runtime library (used by stdlib/).
runtimeFunctionDecl: RUNTIME_FUNCTION IDENT '(' paramList? ')' (RETURNS typeRef)? BINDS STRING;

programDecl: PROGRAM IDENT block;

// ---------------------------------------------------------------------------------------------
// The system: partitions (cores + a scheduler), channels between them, and the code they run.

partitionDecl: PARTITION IDENT settings;
channelDecl: CHANNEL IDENT CARRIES typeRef settings;
// `{ cores: 1, scheduler: messaging }` or one setting per line; the checker knows the names.
settings: '{' (setting ','?)* '}';
setting: IDENT ':' expression;
// Code started once on a partition when the program runs.
taskDecl: PARTITION_TASK IDENT RUNS_ON qualifiedName block;
// A handler of every message of a channel, with state kept between messages.
receiverDecl
    : CHANNEL_RECEIVER IDENT RUNS_ON qualifiedName READS qualifiedName
      '{' letStmt* onMessage onChannelClosed? '}'
    ;
onMessage: ON_MESSAGE '(' param ')' block;
onChannelClosed: ON_CHANNEL_CLOSED block;

// ---------------------------------------------------------------------------------------------
// Slytherin: durable, partitioned topics (the Kafka wire protocol) and the program's consumers.

topicDecl: SLYTHERIN_TOPIC IDENT CARRIES typeRef '{' (topicSetting ','?)* '}';
// `partitions: 4`, `durability: fsync_batched(max_delay: 5 ms)`, `latency_budget: p99 under
// 2 ms`: a value, a word with named arguments, or words before a value. The plan knows the names.
topicSetting: IDENT ':' topicValue;
topicValue
    : IDENT '(' namedArg (',' namedArg)* ')'    # namedArgsValue
    | IDENT IDENT expression                    # phraseValue
    | expression                                # plainValue
    ;
namedArg: IDENT ':' expression;
// `group` and `members` are words checked by the AST builder, not keywords: programs keep them
// as names (`for_each key, group in by_length`). on_message is checked by sema, with a code.
consumerDecl
    : SLYTHERIN_CONSUMER IDENT RUNS_ON qualifiedName READS qualifiedName groupWord=IDENT STRING
      (membersWord=IDENT INT)? '{' letStmt* onMessage? '}'
    ;

// ---------------------------------------------------------------------------------------------
// Basilisk: HTTP services. `listens_on`, `port`, `limits`, `accepts` and `query` are words
// checked by the AST builder, not keywords, so programs keep them as names. The path pattern is
// a string whose `{name: type}` parts are parameters, not interpolation holes.

serviceDecl
    : BASILISK_SERVICE IDENT RUNS_ON qualifiedName listensWord=IDENT portWord=IDENT? INT
      '{' serviceMember* '}'
    ;
serviceMember: limitsBlock | letStmt | routeDecl;
limitsBlock: IDENT settings;
// `route GET "/orders/{order_id: i64}" query(limit: i64 = 100) accepts T returns T { ... }`
routeDecl: ROUTE IDENT STRING routeClause* block;
routeClause
    : IDENT '(' (queryParam (',' queryParam)*)? ')'     # queryClause
    | IDENT typeRef                                     # acceptsClause
    | RETURNS typeRef                                   # returnsClause
    ;
queryParam: IDENT ':' typeRef ('=' expression)?;

// Reserved dialect constructs: parsed loosely, rejected by the checker until their issues land.
dialectDecl: dialectKeyword dialectToken* dialectBody?;
dialectBody: '{' (dialectBody | dialectToken)* '}';
dialectToken
    : ~(LBRACE | RBRACE | SCHEMA | ENUM | FUNCTION | RUNTIME_FUNCTION | PROGRAM | PARTITION
      | CHANNEL | PARTITION_TASK | CHANNEL_RECEIVER | BASILISK_SERVICE | SLYTHERIN_TOPIC
      | SLYTHERIN_CONSUMER | ROUTE | OLTP_TABLE | OLAP_TABLE | NAGINI_COMPONENT)
    ;
dialectKeyword: OLTP_TABLE | OLAP_TABLE | NAGINI_COMPONENT;

// ---------------------------------------------------------------------------------------------
// Types

typeRef
    : LIST '<' typeRef '>'                      # listType
    | MAP '<' typeRef ',' typeRef '>'           # mapType
    | OPTIONAL '<' typeRef '>'                  # optionalType
    | qualifiedName                             # namedType
    ;

// ---------------------------------------------------------------------------------------------
// Statements

block: '{' statement* '}';

// A `;` after a statement is accepted by the grammar only to be reported with a fix.
statement: statementBody stray=';'?;
statementBody
    : letStmt
    | setStmt
    | ifStmt
    | whileStmt
    | forEachStmt
    | matchStmt
    | returnStmt
    | breakStmt
    | continueStmt
    | unsafeCppStmt
    | expressionStmt
    ;

letStmt: bindingKind=(LET_IMMUTABLE_VAR | LET_MUT_VAR | LET_COW_VAR | LET_MUT_SHARED_VAR)
         IDENT (':' typeRef)? ('=' expression)?;
setStmt: SET_VAR lvalue '=' expression;
lvalue: IDENT ('.' IDENT | '[' expression ']')*;
ifStmt: IF expression thenBlock=block (ELSE (ifStmt | elseBlock=block))?;
whileStmt: WHILE expression block;
forEachStmt: FOR_EACH IDENT (',' IDENT)? IN expression block;
matchStmt: MATCH expression '{' matchArm* '}';
matchArm
    : WHEN SOME '(' IDENT ')' block             # someArm
    | WHEN NONE block                           # noneArm
    | WHEN IDENT (',' IDENT)* block             # enumArm
    | OTHERWISE block                           # otherwiseArm
    ;
returnStmt: RETURN expression?;
breakStmt: BREAK;
continueStmt: CONTINUE;
unsafeCppStmt: UNSAFE_CPP '(' INPUTS ':' identList? ';' OUTPUTS ':' outputList? ')' CPP_BLOCK;
identList: IDENT (',' IDENT)*;
outputList: param (',' param)*;
expressionStmt: expression;

// ---------------------------------------------------------------------------------------------
// Expressions, loosest binding first

expression: orExpr;
expressionEof: expression EOF;  // an interpolation hole, parsed on its own
orExpr: andExpr (OR andExpr)*;
andExpr: notExpr (AND notExpr)*;
notExpr: NOT notExpr | comparison;
comparison: additive (op=('==' | '!=' | '<' | '<=' | '>' | '>=') additive)?;
additive: multiplicative (op+=('+' | '-') multiplicative)*;
multiplicative: unary (op+=('*' | '/' | '%') unary)*;
unary: '-' unary | postfix;
postfix: primary postfixOp*;
postfixOp
    : '.' IDENT                                 # fieldAccess
    | '(' argList? ')'                          # callOp
    | '[' expression ']'                        # indexOp
    ;
argList: expression (',' expression)*;

primary
    : INT                                       # intLit
    | FLOAT                                     # floatLit
    | DURATION                                  # durationLit
    | STRING                                    # stringLit
    | (TRUE | FALSE)                            # boolLit
    | NONE                                      # noneLit
    | SOME '(' expression ')'                   # someLit
    | '[' ':' ']'                               # emptyMapLit
    | '[' mapEntry (',' mapEntry)* ','? ']'     # mapLit
    | '[' (expression (',' expression)* ','?)? ']'      # listLit
    | IDENT '{' (fieldInit (',' fieldInit)* ','?)? '}'  # schemaLit
    | IDENT                                     # nameRef
    | '(' expression ')'                        # parenExpr
    ;
fieldInit: IDENT ':' expression;
mapEntry: expression ':' expression;

// ---------------------------------------------------------------------------------------------
// Lexer

MODULE: 'module';
IMPORT: 'import';
SCHEMA: 'schema';
FIELD: 'field';
VALIDATE: 'validate';
ENUM: 'enum';
FUNCTION: 'function';
RUNTIME_FUNCTION: 'runtime_function';
BINDS: 'binds';
RETURNS: 'returns';
PROGRAM: 'program';
LIST: 'list';
MAP: 'map';
OPTIONAL: 'optional';
LET_IMMUTABLE_VAR: 'let_immutable_var';
LET_MUT_VAR: 'let_mut_var';
LET_COW_VAR: 'let_cow_var';
LET_MUT_SHARED_VAR: 'let_mut_shared_var';
SET_VAR: 'set_var';
IF: 'if';
ELSE: 'else';
WHILE: 'while';
FOR_EACH: 'for_each';
IN: 'in';
MATCH: 'match';
WHEN: 'when';
OTHERWISE: 'otherwise';
RETURN: 'return';
BREAK: 'break';
CONTINUE: 'continue';
UNSAFE_CPP: 'unsafe_cpp' { cpp_block_pending_ = true; };
INPUTS: 'inputs';
OUTPUTS: 'outputs';
AND: 'and';
OR: 'or';
NOT: 'not';
TRUE: 'true';
FALSE: 'false';
NONE: 'none';
SOME: 'some';
PARTITION: 'partition';
CHANNEL: 'channel';
CARRIES: 'carries';
PARTITION_TASK: 'partition_task';
CHANNEL_RECEIVER: 'channel_receiver';
RUNS_ON: 'runs_on';
READS: 'reads';
ON_MESSAGE: 'on_message';
ON_CHANNEL_CLOSED: 'on_channel_closed';
BASILISK_SERVICE: 'basilisk_service';
ROUTE: 'route';
SLYTHERIN_TOPIC: 'slytherin_topic';
SLYTHERIN_CONSUMER: 'slytherin_consumer';
OLTP_TABLE: 'oltp_table';
OLAP_TABLE: 'olap_table';
NAGINI_COMPONENT: 'nagini_component';

// Raw C++ of an unsafe_cpp statement: braces inside must balance. Every `{` reaches this rule
// first (it comes before LBRACE, same length); its action makes the token a plain `{` unless
// `unsafe_cpp` came before. No predicate on purpose: a predicate at the start of a lexer rule
// stops ANTLR from caching the lexer's start state, and every token of every file then pays for
// a full ATN closure (35x slower lexing, tests/perf/README.md).
CPP_BLOCK: [{] { take_cpp_block(); };

// `5 ms`, `7 days`: a number and a unit on the same line. A unit that runs into a name
// (`5 msx`) is reported by syntax/parse.cpp (a lexer predicate here would leak in ANTLR 4.9).
DURATION: DIGITS [ \t]* DURATION_UNIT;
fragment DURATION_UNIT
    : 'ns' | 'us' | 'ms' | 'second' | 'seconds' | 'minute' | 'minutes' | 'hour' | 'hours'
    | 'day' | 'days'
    ;

FLOAT: DIGITS '.' DIGITS ([eE] [+-]? DIGITS)?;
INT: DIGITS;
fragment DIGITS: [0-9] ('_'? [0-9])*;

// A string may hold `{expression}` holes (no `}` or newline inside a hole) and the escapes
// \n \t \r \\ \" \{ \}.
STRING: '"' (ESCAPE | '{' ~[}\r\n]* '}' | ~["\\\r\n{])* '"';
fragment ESCAPE: '\\' ~[\r\n];

IDENT: [a-zA-Z_] [a-zA-Z_0-9]*;

EQ: '==';
NE: '!=';
LE: '<=';
GE: '>=';
LT: '<';
GT: '>';
ASSIGN: '=';
PLUS: '+';
MINUS: '-';
STAR: '*';
SLASH: '/';
PERCENT: '%';
LPAREN: '(';
RPAREN: ')';
LBRACE: '{';
RBRACE: '}';
LBRACKET: '[';
RBRACKET: ']';
COMMA: ',';
COLON: ':';
SEMI: ';';
DOT: '.';

DOC_COMMENT: '///' ~[\r\n]* -> channel(HIDDEN);
LINE_COMMENT: '//' ~[\r\n]* -> skip;
BLOCK_COMMENT: '/*' .*? '*/' -> skip;
WS: [ \t\r\n]+ -> skip;

// Anything else becomes one token the parser never expects, so the error names the character.
UNKNOWN_CHAR: .;

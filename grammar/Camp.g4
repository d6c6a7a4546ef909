// The .camp language: one combined grammar, no target-language actions.
// Line breaks are tokens (NL); camp::syntax::LineBreakFilter hides the ones that LANGUAGE.md
// says to ignore (inside ( ) and [ ], after a binary operator, `=`, `,`, `~`, `:`).
grammar Camp;

file_        : sep* (decl (sep+ decl)*)? sep* EOF ;
exprOnly     : NL* expr NL* EOF ;                 // --set values and scenario overrides on the CLI
sep          : NL | SEMI ;

decl
  : modelDecl | currencyDecl | importDecl | unitDecl | categoryDecl | paramDecl | letDecl
  | ratecardDecl | pipelineDecl | scenarioDecl | assertDecl | forecastDecl
  | correlateDecl
  ;

modelDecl    : MODEL STRING ;
currencyDecl : CURRENCY IDENT ;
importDecl   : IMPORT STRING ;
unitDecl     : UNIT IDENT (COMMA IDENT)* ;
categoryDecl : CATEGORY IDENT (COMMA IDENT)* ;
paramDecl    : PARAM name ASSIGN expr (IN LBRACK lo=expr COMMA hi=expr RBRACK)? (TILDE distribution)? ;
distribution : IDENT LPAREN (distArg (COMMA distArg)*)? RPAREN ;
distArg      : value=expr (COLON weight=expr)? ;
letDecl      : LET name ASSIGN expr ;
// `correlate` is contextual: no declaration starts with a name, so it stays usable as one.
correlateDecl : CORRELATE a=name COMMA b=name ASSIGN expr ;

ratecardDecl : RATECARD name STRING? LBRACE sep* (ratecardItem (sep+ ratecardItem)*)? sep* RBRACE ;
ratecardItem : feeDecl | priceDecl | contractItem | cardDiscount | commitItem ;
feeDecl      : FEE name ASSIGN expr ;
contractItem : CONTRACT FROM DATE ;               // contract years start in this month
cardDiscount : DISCOUNT expr ;                    // off every price and fee of the card
commitItem   : COMMIT amount=expr PER period=name (OVERAGE premium=expr)? ;
priceDecl    : PRICE name LPAREN unitExpr RPAREN ASSIGN pricing priceTerm* ;
// Written in this order; the checker reports terms out of order or repeated.
priceTerm
  : DISCOUNT expr                                  # discountTerm
  | MINIMUM expr                                   # minimumTerm
  | MAXIMUM expr                                   # maximumTerm
  | BILLED period=name                             # billedTerm
  ;
pricing
  : GRADUATED tierBlock                            # graduatedPricing
  | VOLUME tierBlock                               # volumePricing
  | PACKAGE size=expr AT rate=expr (AFTER allowance=expr INCLUDED)?   # packagePricing
  | rate=expr (AFTER allowance=expr INCLUDED)?     # flatPricing
  ;
tierBlock    : LBRACE sep* tier (sep+ tier)* sep* RBRACE ;
tier
  : UP TO bound=expr COLON rate=expr (PLUS_FEE fee=expr)?   # boundedTier
  | ABOVE COLON rate=expr (PLUS_FEE fee=expr)?              # aboveTier
  ;

pipelineDecl : PIPELINE name STRING? LBRACE sep* (pipelineItem (sep+ pipelineItem)*)? sep* RBRACE ;
pipelineItem : stageDecl | letDecl | revenueDecl ;
stageDecl    : STAGE name STRING? LBRACE sep* (stageItem (sep+ stageItem)*)? sep* RBRACE ;
stageItem
  : INPUT name (COMMA name)*                       # inputItem
  | OUTPUT expr                                    # outputItem
  | IDENT STRING? ASSIGN expr                      # costLineItem
  ;
revenueDecl  : REVENUE STRING? ASSIGN expr ;

scenarioDecl : SCENARIO name STRING? LBRACE sep* (overrideItem (sep+ overrideItem)*)? sep* RBRACE ;
overrideItem : name ASSIGN expr ;
assertDecl   : ASSERT expr STRING? ;

forecastDecl : FORECAST name STRING? MONTHLY from=DATE DOTDOT to=DATE
               LBRACE sep* (forecastItem (sep+ forecastItem)*)? sep* RBRACE ;
forecastItem : runDecl | budgetDecl ;
budgetDecl   : BUDGET STRING? amount=expr PER period=name ;
runDecl      : RUN name PER rate=expr (GROWTH growth=expr)? (SEASONAL seasonBlock)? ;
seasonBlock  : LBRACE sep* (season (sep* COMMA sep* season)*)? sep* RBRACE ;
season       : IDENT COLON expr ;

// Precedence, tightest first: ^ (right), unary -, * /, + -, comparisons, not, and, or, if.
expr
  : <assoc=right> expr CARET expr                  # powExpr
  | MINUS expr                                     # negExpr
  | expr op=(STAR | SLASH) expr                    # mulExpr
  | expr op=(PLUS | MINUS) expr                    # addExpr
  | expr op=(LT | LE | GT | GE | EQ | NE) expr     # cmpExpr
  | NOT expr                                       # notExpr
  | expr AND expr                                  # andExpr
  | expr OR expr                                   # orExpr
  | IF expr THEN expr ELSE expr                    # ifExpr
  | primary                                        # primaryExpr
  ;

primary
  : NUMBER unitExpr?                               # numberLit
  | name LPAREN (expr (COMMA expr)*)? RPAREN       # callExpr
  | name DOT member LPAREN expr RPAREN             # priceCall
  | name (DOT member)*                             # nameRef
  | LPAREN expr RPAREN                             # parenExpr
  ;
member       : name | OUTPUT | REVENUE | INPUT ;
// Keywords that never begin a statement may also be names (`param fee`, `let monthly`).
name
  : IDENT | FEE | PRICE | MONTHLY | RUN | PER | GROWTH | SEASONAL | GRADUATED | VOLUME | UP | TO
  | ABOVE | AFTER | INCLUDED | MINIMUM
  | MAXIMUM | PACKAGE | AT | PLUS_FEE | DISCOUNT | COMMIT | OVERAGE | CONTRACT | FROM | BILLED | BUDGET | CORRELATE
  ;

// A unit written after a number: `h`, `USD/h`, `USD/(1000 email)`, `click/email`, `h^2`.
// `*` is not part of it (16 h * rate is (16 h) * rate); `/` is.
unitExpr     : unitPower (SLASH unitDenom)* ;
unitDenom    : unitPower | LPAREN unitProduct RPAREN ;
unitProduct  : NUMBER? unitPower ((STAR)? unitPower)* ;
unitPower    : IDENT (CARET MINUS? NUMBER)? ;

MODEL : 'model' ; CURRENCY : 'currency' ; IMPORT : 'import' ; UNIT : 'unit' ;
CATEGORY : 'category' ; PARAM : 'param' ; LET : 'let' ; RATECARD : 'ratecard' ; FEE : 'fee' ;
PRICE : 'price' ; GRADUATED : 'graduated' ; VOLUME : 'volume' ; UP : 'up' ; TO : 'to' ;
ABOVE : 'above' ; AFTER : 'after' ; INCLUDED : 'included' ; MINIMUM : 'minimum' ;
PIPELINE : 'pipeline' ; STAGE : 'stage' ; INPUT : 'input' ; OUTPUT : 'output' ;
REVENUE : 'revenue' ; SCENARIO : 'scenario' ; ASSERT : 'assert' ; FORECAST : 'forecast' ;
MONTHLY : 'monthly' ; RUN : 'run' ; PER : 'per' ; GROWTH : 'growth' ; SEASONAL : 'seasonal' ;
IF : 'if' ; THEN : 'then' ; ELSE : 'else' ; AND : 'and' ; OR : 'or' ; NOT : 'not' ;
// Contextual keywords of contract terms and budgets: also usable as names (see `name`).
MAXIMUM : 'maximum' ; PACKAGE : 'package' ; AT : 'at' ; PLUS_FEE : 'plus' ; DISCOUNT : 'discount' ;
COMMIT : 'commit' ; OVERAGE : 'overage' ; CONTRACT : 'contract' ; FROM : 'from' ; BILLED : 'billed' ;
BUDGET : 'budget' ; CORRELATE : 'correlate' ;
IN : 'in' ;  // the last keyword: Tokens.cpp treats MODEL..IN as keywords

DATE      : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT ('-' DIGIT DIGIT)? ;
NUMBER    : DIGIT (DIGIT | '_')* ('.' DIGIT (DIGIT | '_')*)? ([eE] [+-]? DIGIT+)? '%'? ;
IDENT     : [A-Za-z_] [A-Za-z0-9_]* ;
STRING    : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;

DOTDOT : '..' ; DOT : '.' ; COMMA : ',' ; COLON : ':' ; SEMI : ';' ; ASSIGN : '=' ;
TILDE : '~' ; LPAREN : '(' ; RPAREN : ')' ; LBRACK : '[' ; RBRACK : ']' ; LBRACE : '{' ;
RBRACE : '}' ; PLUS : '+' ; MINUS : '-' ; STAR : '*' ; SLASH : '/' ; CARET : '^' ;
LE : '<=' ; GE : '>=' ; EQ : '==' ; NE : '!=' ; LT : '<' ; GT : '>' ;

NL            : '\r'? '\n' | '\r' ;
WS            : [ \t\f\u00A0\uFEFF]+ -> skip ;
DOC_COMMENT   : '///' ~[\r\n]* -> channel(2) ;
LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
// Only a `/*` with no `*/` after it: ANTLR takes the longest match, so this must not be able to
// run past a closing `*/`.
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;
ERROR_CHAR    : . ;

fragment DIGIT : [0-9] ;

namespace Etrid.Scaling.Selectors;

/// <summary>
/// A Kubernetes label selector (the HPA renders its <c>metric.selector</c> this way): requirements
/// separated by commas and ANDed, each <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>, <c>k</c> or <c>!k</c>. The text comes from a remote client, so its length,
/// requirement count and set sizes are bounded before anything is kept.
/// </summary>
public sealed class LabelSelector
{
    /// <summary>Longest selector text accepted.</summary>
    public const int MaxLength = 4096;

    /// <summary>Most requirements in one selector.</summary>
    public const int MaxRequirements = 32;

    /// <summary>Most values in one <c>in</c>/<c>notin</c> set.</summary>
    public const int MaxSetValues = 64;

    private const int MaxNameLength = 63;
    private const int MaxPrefixLength = 253;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    /// <summary>The empty selector: matches every label set.</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>The requirements, all of which must hold.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True when every requirement holds for <paramref name="labels"/>.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses <paramref name="text"/>; null, empty or blank is <see cref="Everything"/>.</summary>
    /// <exception cref="LabelSelectorException">The text is too long, malformed, or has invalid keys or values.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (text is null)
        {
            return Everything;
        }

        if (text.Length > MaxLength)
        {
            throw new LabelSelectorException($"label selector is {text.Length} characters long; at most {MaxLength} are accepted");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var lexer = new Lexer(text);
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            if (requirements.Count == MaxRequirements)
            {
                throw new LabelSelectorException($"label selector has more than {MaxRequirements} requirements");
            }

            requirements.Add(ParseRequirement(lexer));
            var separator = lexer.Next();
            if (separator.Kind == TokenKind.End)
            {
                return new LabelSelector(requirements);
            }

            if (separator.Kind != TokenKind.Comma)
            {
                throw lexer.Error(separator, "expected ',' or the end after a requirement");
            }
        }
    }

    /// <summary>Like <see cref="Parse"/>, without throwing: false with the reason for an invalid selector.</summary>
    public static bool TryParse(string? text, out LabelSelector selector, out string? error)
    {
        try
        {
            selector = Parse(text);
            error = null;
            return true;
        }
        catch (LabelSelectorException e)
        {
            selector = Everything;
            error = e.Message;
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(',', Requirements.Select(Render));

    private static string Render(LabelRequirement r) => r.Operator switch
    {
        SelectorOperator.Equals => $"{r.Key}={r.Values[0]}",
        SelectorOperator.NotEquals => $"{r.Key}!={r.Values[0]}",
        SelectorOperator.In => $"{r.Key} in ({string.Join(',', r.Values)})",
        SelectorOperator.NotIn => $"{r.Key} notin ({string.Join(',', r.Values)})",
        SelectorOperator.Exists => r.Key,
        _ => "!" + r.Key,
    };

    private static LabelRequirement ParseRequirement(Lexer lexer)
    {
        var first = lexer.Next();
        if (first.Kind == TokenKind.Not)
        {
            var key = lexer.Next();
            if (key.Kind != TokenKind.Identifier)
            {
                throw lexer.Error(key, "expected a label key after '!'");
            }

            return new LabelRequirement(CheckKey(lexer, key), SelectorOperator.DoesNotExist, []);
        }

        if (first.Kind != TokenKind.Identifier)
        {
            throw lexer.Error(first, "expected a label key or '!'");
        }

        var name = CheckKey(lexer, first);
        var op = lexer.Peek();
        switch (op.Kind)
        {
            case TokenKind.Comma or TokenKind.End:
                return new LabelRequirement(name, SelectorOperator.Exists, []);
            case TokenKind.Equals or TokenKind.DoubleEquals or TokenKind.NotEquals:
                lexer.Next();
                var value = lexer.Peek();
                var text = string.Empty;
                if (value.Kind == TokenKind.Identifier)
                {
                    lexer.Next();
                    text = CheckValue(lexer, value);
                }
                else if (value.Kind is not (TokenKind.Comma or TokenKind.End))
                {
                    throw lexer.Error(value, "expected a label value");
                }

                return new LabelRequirement(name, op.Kind == TokenKind.NotEquals ? SelectorOperator.NotEquals : SelectorOperator.Equals, [text]);
            case TokenKind.Identifier when op.Text is "in" or "notin":
                lexer.Next();
                return new LabelRequirement(name, op.Text == "in" ? SelectorOperator.In : SelectorOperator.NotIn, ParseSet(lexer));
            default:
                throw lexer.Error(op, "expected '=', '==', '!=', 'in' or 'notin' after the key");
        }
    }

    private static List<string> ParseSet(Lexer lexer)
    {
        var open = lexer.Next();
        if (open.Kind != TokenKind.OpenParen)
        {
            throw lexer.Error(open, "expected '(' to open a set of values");
        }

        var values = new List<string>();
        while (true)
        {
            var token = lexer.Next();
            var value = string.Empty;
            if (token.Kind == TokenKind.Identifier)
            {
                value = CheckValue(lexer, token);
                token = lexer.Next();
            }

            if (values.Count == MaxSetValues)
            {
                throw lexer.Error(token, $"a set holds at most {MaxSetValues} values");
            }

            values.Add(value);
            if (token.Kind == TokenKind.CloseParen)
            {
                if (values is [""])
                {
                    throw lexer.Error(token, "a set of values must not be empty");
                }

                return values;
            }

            if (token.Kind != TokenKind.Comma)
            {
                throw lexer.Error(token, "expected ',' or ')' in a set of values");
            }
        }
    }

    private static string CheckKey(Lexer lexer, Token token)
    {
        var key = token.Text;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length is 0 or > MaxPrefixLength || !prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
            {
                throw lexer.Error(token, $"invalid key prefix '{Clip(prefix)}': a DNS subdomain of at most {MaxPrefixLength} characters is expected");
            }
        }

        if (name.Length == 0 || !IsName(name))
        {
            throw lexer.Error(token, $"invalid label key '{Clip(key)}': at most {MaxNameLength} characters of [A-Za-z0-9._-], starting and ending alphanumeric");
        }

        return key;
    }

    private static string CheckValue(Lexer lexer, Token token)
    {
        if (!IsName(token.Text))
        {
            throw lexer.Error(token, $"invalid label value '{Clip(token.Text)}': at most {MaxNameLength} characters of [A-Za-z0-9._-], starting and ending alphanumeric");
        }

        return token.Text;
    }

    private static bool IsName(string s) =>
        s.Length is > 0 and <= MaxNameLength
        && char.IsAsciiLetterOrDigit(s[0])
        && char.IsAsciiLetterOrDigit(s[^1])
        && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string Clip(string s) => s.Length <= 70 ? s : s[..70] + "…";

    private enum TokenKind
    {
        Identifier,
        Not,
        Equals,
        DoubleEquals,
        NotEquals,
        OpenParen,
        CloseParen,
        Comma,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Position);

    private sealed class Lexer(string text)
    {
        private int _position;
        private Token? _peeked;

        public Token Peek() => _peeked ??= Read();

        public Token Next()
        {
            var token = Peek();
            _peeked = null;
            return token;
        }

        public LabelSelectorException Error(Token token, string what)
        {
            var found = token.Kind == TokenKind.End ? "the end" : $"'{Clip(token.Text)}'";
            return new LabelSelectorException($"invalid label selector at position {token.Position}: {what}, found {found}");
        }

        private Token Read()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }

            var start = _position;
            if (_position >= text.Length)
            {
                return new Token(TokenKind.End, string.Empty, start);
            }

            var c = text[_position];
            var next = _position + 1 < text.Length ? text[_position + 1] : '\0';
            switch (c)
            {
                case '!' when next == '=':
                    _position += 2;
                    return new Token(TokenKind.NotEquals, "!=", start);
                case '!':
                    _position++;
                    return new Token(TokenKind.Not, "!", start);
                case '=' when next == '=':
                    _position += 2;
                    return new Token(TokenKind.DoubleEquals, "==", start);
                case '=':
                    _position++;
                    return new Token(TokenKind.Equals, "=", start);
                case '(':
                    _position++;
                    return new Token(TokenKind.OpenParen, "(", start);
                case ')':
                    _position++;
                    return new Token(TokenKind.CloseParen, ")", start);
                case ',':
                    _position++;
                    return new Token(TokenKind.Comma, ",", start);
            }

            while (_position < text.Length && !char.IsWhiteSpace(text[_position]) && text[_position] is not ('!' or '=' or '(' or ')' or ','))
            {
                _position++;
            }

            return new Token(TokenKind.Identifier, text[start.._position], start);
        }
    }
}

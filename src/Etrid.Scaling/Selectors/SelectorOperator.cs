namespace Etrid.Scaling.Selectors;

/// <summary>The operators of a Kubernetes label selector requirement.</summary>
public enum SelectorOperator
{
    /// <summary><c>k=v</c> or <c>k==v</c>: the label is present with this value.</summary>
    Equals,

    /// <summary><c>k!=v</c>: the label is absent or has another value.</summary>
    NotEquals,

    /// <summary><c>k in (a,b)</c>: the label is present with one of the values.</summary>
    In,

    /// <summary><c>k notin (a,b)</c>: the label is absent or has none of the values.</summary>
    NotIn,

    /// <summary><c>k</c>: the label is present.</summary>
    Exists,

    /// <summary><c>!k</c>: the label is absent.</summary>
    DoesNotExist,
}

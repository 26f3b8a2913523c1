using Microsoft.AspNetCore.Authorization;

namespace Etrid.Scaling.Authorization;

/// <summary>The request must be allowed by <see cref="AccessReviewer"/> (SubjectAccessReview).</summary>
internal sealed class SubjectAccessRequirement : IAuthorizationRequirement;

namespace Matching.Ingestion;

/// <summary>What an organisation said about meeting another.</summary>
public enum PreferenceChoice
{
    /// <summary>必见: schedule this meeting first where feasible.</summary>
    MustMeet,

    /// <summary>想见: interested; raises the pair's value.</summary>
    Interested,

    /// <summary>不见: a veto; the pair is never scheduled.</summary>
    No,

    /// <summary>已对接: the two have already met; the pair is never scheduled.</summary>
    AlreadyMet,
}

/// <summary>One organisation's stated choice about a counterpart, as read from a preferences file.</summary>
/// <param name="Organization">The organisation stating the choice (a name the inputs use).</param>
/// <param name="Counterpart">The organisation it is about (resolved from a name, demand id or achievement id).</param>
/// <param name="Choice">The choice.</param>
public sealed record StatedPreference(string Organization, string Counterpart, PreferenceChoice Choice);

/// <summary>A meeting confirmed before re-planning, kept at its slot and table.</summary>
/// <param name="Slot">1-based slot.</param>
/// <param name="Table">1-based table.</param>
/// <param name="University">The university.</param>
/// <param name="Enterprise">The enterprise.</param>
public sealed record ConfirmedMeeting(int Slot, int Table, string University, string Enterprise);

namespace Mixnet.Directory.Server.Registry;

/// <summary>The replay marks' file under <c>DataPath</c>, so a captured registration stays refused across a restart.</summary>
internal sealed partial class NodeRegistry
{
    private readonly Lock _saveGate = new();
    private long _savedChanges;

    /// <summary>Where the replay marks are kept between runs.</summary>
    public string MarksPath { get; }

    /// <summary>
    /// Writes the marks now, for a registration dated ahead of this directory's clock: after a
    /// crash the start-time floor refuses everything signed before the restart, but such a
    /// descriptor may be signed after it, so its mark must reach the disk before it is
    /// acknowledged. Nodes whose clocks are not ahead never wait for this.
    /// </summary>
    public async Task SaveMarksNowAsync()
    {
        try
        {
            await Task.Run(SaveMarks);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RegistryLog.MarksNotSaved(_logger, MarksPath, ex.Message);
        }
    }

    /// <summary>Writes the replay marks if they changed since the last write (the background writer and shutdown call it).</summary>
    /// <returns>True when the file was written.</returns>
    public bool SaveMarks()
    {
        List<KeyValuePair<NodeId, DateTimeOffset>> marks;
        long changes;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _replay.Forget(now);
            if (_replay.Changes == _savedChanges && File.Exists(MarksPath))
            {
                return false;
            }

            marks = _replay.Snapshot();
            changes = _replay.Changes;
        }

        // Live identities' marks are their records' signed_at, read without the lock (a record is
        // immutable). One that leaves meanwhile changes the marks again, so the next write has it.
        var horizon = now - _options.MaxClockSkew;
        foreach (var record in _leases.All())
        {
            if (record.SignedAt >= horizon)
            {
                marks.Add(new(record.Id, record.SignedAt));
            }
        }

        // Written outside the lock; one writer at a time, and an older snapshot never overwrites a newer one.
        lock (_saveGate)
        {
            if (changes <= _savedChanges && File.Exists(MarksPath))
            {
                return false;
            }

            ReplayMarkFile.Save(MarksPath, marks);
            _savedChanges = changes;
            return true;
        }
    }
}

using System.Collections.ObjectModel;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// What PowerShell 7 has for building objects cheaply but the module cannot call directly: the reference assemblies it builds
/// against (PowerShell 5.1's) lack one, and PowerShell keeps the others internal. Each is reached through reflection compiled
/// once, and each is there in every PowerShell since 7.0 (the module needs 7.4). Where one is missing, <see cref="Available"/>
/// is null and prediction rows are copied the general way, which is right but several times slower.
/// </summary>
internal sealed class PSObjectInternals
{
    private PSObjectInternals(Func<int, PSObject> newObject, Func<PSObject, PSMemberInfoCollection<PSMemberInfo>> instanceMembers,
        Func<PSObject, int> visibleInstanceMemberCount, Func<PSObject, Collection<string>> typeNames,
        Func<IEnumerable<string>, Collection<string>> readOnlyTypeNames, Action<PSObject, Collection<string>> setTypeNames)
    {
        NewObject = newObject;
        InstanceMembers = instanceMembers;
        VisibleInstanceMemberCount = visibleInstanceMemberCount;
        TypeNames = typeNames;
        ReadOnlyTypeNames = readOnlyTypeNames;
        SetTypeNames = setTypeNames;
    }

    /// <summary>
    /// <c>new PSObject(capacity)</c>, a [pscustomobject] whose members are kept on the object itself (as Import-Csv's rows'
    /// are), where <c>new PSObject()</c> keeps them in a weak table beside it, one more handle for the collector per object.
    /// </summary>
    public Func<int, PSObject> NewObject { get; }

    /// <summary>
    /// The members added to an object itself, to look up by name: <see cref="PSObject.Properties"/> finds the same ones, but
    /// through more locks and a collection it makes for each object.
    /// </summary>
    public Func<PSObject, PSMemberInfoCollection<PSMemberInfo>> InstanceMembers { get; }

    /// <summary>The count of the members added to an object itself that PowerShell does not hide.</summary>
    public Func<PSObject, int> VisibleInstanceMemberCount { get; }

    /// <summary>An object's type names as PowerShell keeps them; reading <see cref="PSObject.TypeNames"/> instead makes a copy to hand out, in a weak table.</summary>
    public Func<PSObject, Collection<string>> TypeNames { get; }

    /// <summary>
    /// Type names that objects can share, as PowerShell shares a .NET type's among its objects: read-only, so that changing
    /// one object's <see cref="PSObject.TypeNames"/> copies them first.
    /// </summary>
    public Func<IEnumerable<string>, Collection<string>> ReadOnlyTypeNames { get; }

    /// <summary>Gives an object the type names made by <see cref="ReadOnlyTypeNames"/>.</summary>
    public Action<PSObject, Collection<string>> SetTypeNames { get; }

    /// <summary>The members of this PowerShell, or null where one is missing. Settable so tests can take the general way.</summary>
    internal static PSObjectInternals? Available { get; set; } = Find();

    private static PSObjectInternals? Find()
    {
        const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;
        var capacityConstructor = typeof(PSObject).GetConstructor([typeof(int)]);
        var instanceMembers = typeof(PSObject).GetProperty("InstanceMembers", Internal);
        var visibleCount = instanceMembers?.PropertyType.GetProperty("VisibleCount", Internal);
        var internalTypeNames = typeof(PSObject).GetProperty("InternalTypeNames", Internal);
        var consolidatedString = internalTypeNames?.PropertyType;
        var readOnlyConstructor = consolidatedString?.GetConstructor(Internal, [typeof(IEnumerable<string>), typeof(bool)]);
        if (capacityConstructor is null || !typeof(PSMemberInfoCollection<PSMemberInfo>).IsAssignableFrom(instanceMembers?.PropertyType)
            || visibleCount?.PropertyType != typeof(int) || internalTypeNames?.SetMethod is null
            || !typeof(Collection<string>).IsAssignableFrom(consolidatedString) || readOnlyConstructor is null)
            return null;

        var capacity = Expression.Parameter(typeof(int), "capacity");
        var row = Expression.Parameter(typeof(PSObject), "row");
        var names = Expression.Parameter(typeof(IEnumerable<string>), "names");
        var shared = Expression.Parameter(typeof(Collection<string>), "shared");
        return new PSObjectInternals(
            Expression.Lambda<Func<int, PSObject>>(Expression.New(capacityConstructor, capacity), capacity).Compile(),
            Expression.Lambda<Func<PSObject, PSMemberInfoCollection<PSMemberInfo>>>(Expression.Property(row, instanceMembers!), row).Compile(),
            Expression.Lambda<Func<PSObject, int>>(Expression.Property(Expression.Property(row, instanceMembers!), visibleCount), row).Compile(),
            Expression.Lambda<Func<PSObject, Collection<string>>>(Expression.Property(row, internalTypeNames), row).Compile(),
            Expression.Lambda<Func<IEnumerable<string>, Collection<string>>>(Expression.New(readOnlyConstructor, names, Expression.Constant(true)), names).Compile(),
            Expression.Lambda<Action<PSObject, Collection<string>>>(
                Expression.Assign(Expression.Property(row, internalTypeNames), Expression.Convert(shared, consolidatedString!)), row, shared).Compile());
    }
}

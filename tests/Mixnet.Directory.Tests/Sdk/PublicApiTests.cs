using System.Reflection;
using Mixnet.Directory.Client;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>The SDK speaks in its own records: no proto message or protobuf type in its public surface.</summary>
public sealed class PublicApiTests
{
    [Test]
    public void PublicSurface_MentionsNoProtoType()
    {
        var offenders = new List<string>();
        foreach (var type in typeof(NodeAgent).Assembly.GetExportedTypes())
        {
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
            foreach (var member in members)
            {
                foreach (var mentioned in Mentioned(member))
                {
                    if (IsProto(mentioned))
                    {
                        offenders.Add($"{type.Name}.{member.Name}: {mentioned.FullName}");
                    }
                }
            }
        }

        Assert.That(offenders, Is.Empty);
    }

    private static IEnumerable<Type> Mentioned(MemberInfo member) => member switch
    {
        MethodBase method => method.GetParameters().Select(p => p.ParameterType).Concat(method is MethodInfo m ? [m.ReturnType] : []),
        PropertyInfo property => [property.PropertyType],
        FieldInfo field => [field.FieldType],
        EventInfo e => e.EventHandlerType is { } handler ? [handler] : [],
        _ => [],
    };

    private static bool IsProto(Type type)
    {
        if (type.HasElementType)
        {
            return IsProto(type.GetElementType()!);
        }

        if (type.IsGenericType && type.GetGenericArguments().Any(IsProto))
        {
            return true;
        }

        var ns = type.Namespace ?? "";
        return ns.StartsWith("Google.Protobuf", StringComparison.Ordinal) || ns == "Mixnet.Directory.V1";
    }
}

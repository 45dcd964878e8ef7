using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>
/// Marks protobuf <c>bytes</c> fields in the OpenAPI document as <c>type: string, format: byte</c>
/// (base64). Grpc.Swagger writes only <c>type: string</c>, so generated clients treated keys and
/// signatures as plain text.
/// </summary>
internal sealed class BytesSchemaFilter : ISchemaFilter
{
    public void Apply(OpenApiSchema schema, SchemaFilterContext context)
    {
        if (!typeof(IMessage).IsAssignableFrom(context.Type) || schema.Properties is not { Count: > 0 })
        {
            return;
        }

        if (context.Type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not MessageDescriptor descriptor)
        {
            return;
        }

        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (field.FieldType != FieldType.Bytes || !schema.Properties.TryGetValue(field.JsonName, out var property))
            {
                continue;
            }

            var target = field.IsRepeated && property.Items is not null ? property.Items : property;
            target.Type = "string";
            target.Format = "byte";
        }
    }
}

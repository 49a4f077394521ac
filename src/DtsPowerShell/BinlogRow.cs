using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;

namespace DtsPowerShell;

/// <summary>
/// A row image as Get-DtsBinlogEvent shows it: an instance of a class made at run time for the table's columns, one
/// read-only property per column. PowerShell reads .NET properties through its type cache, so a row costs one small
/// object, where a PSObject with a note property per column costs tens of microseconds, the bulk of a filtered read.
/// </summary>
public abstract class BinlogRow
{
    private static readonly ModuleBuilder Module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("DtsPowerShell.Rows"), AssemblyBuilderAccess.RunAndCollect).DefineDynamicModule("Rows");
    private static readonly ConcurrentDictionary<string, Func<object?[], BinlogRow>> Factories = new(StringComparer.Ordinal);
    private static readonly FieldInfo ValuesField = typeof(BinlogRow).GetField(nameof(values), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly ConstructorInfo BaseConstructor = typeof(BinlogRow).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, [typeof(object[]), typeof(string[])])!;
    private static int types;

    // Read by the generated getters.
    protected readonly object?[] values;
    private readonly string[] names;

    protected BinlogRow(object?[] values, string[] names)
    {
        this.values = values;
        this.names = names;
    }

    /// <summary>What makes rows of a table with these column names: one class per layout, made once.</summary>
    public static Func<object?[], BinlogRow> FactoryOf(string database, string table, string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var key = database + "\0" + table + "\0" + string.Join('\0', names);
        return Factories.GetOrAdd(key, _ => Build(database, table, names));
    }

    /// <summary>As a PowerShell custom object prints: <c>@{id=1; name=x}</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("@{");
        for (var i = 0; i < names.Length; i++)
        {
            text.Append(i == 0 ? "" : "; ").Append(names[i]).Append('=').Append(Convert.ToString(values[i], CultureInfo.InvariantCulture));
        }

        return text.Append('}').ToString();
    }

    private static Func<object?[], BinlogRow> Build(string database, string table, string[] names)
    {
        var builder = Module.DefineType($"DtsPowerShell.Rows.{database}.{table}#{Interlocked.Increment(ref types)}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(BinlogRow));
        var constructor = builder.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, [typeof(object[]), typeof(string[])]);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Call, BaseConstructor);
        il.Emit(OpCodes.Ret);
        for (var i = 0; i < names.Length; i++)
        {
            var property = builder.DefineProperty(names[i], PropertyAttributes.None, typeof(object), null);
            var getter = builder.DefineMethod("get_" + names[i], MethodAttributes.Public | MethodAttributes.SpecialName | MethodAttributes.HideBySig, typeof(object), Type.EmptyTypes);
            var body = getter.GetILGenerator();
            body.Emit(OpCodes.Ldarg_0);
            body.Emit(OpCodes.Ldfld, ValuesField);
            body.Emit(OpCodes.Ldc_I4, i);
            body.Emit(OpCodes.Ldelem_Ref);
            body.Emit(OpCodes.Ret);
            property.SetGetMethod(getter);
        }

        var made = builder.CreateType().GetConstructor([typeof(object[]), typeof(string[])])!;
        var valuesParameter = Expression.Parameter(typeof(object[]));
        var create = Expression.Lambda<Func<object?[], BinlogRow>>(Expression.New(made, valuesParameter, Expression.Constant(names)), valuesParameter).Compile();
        return create;
    }
}

/// <summary>An updated row: its image before and after the change.</summary>
public sealed class BinlogRowUpdate(object before, object after)
{
    public object Before { get; } = before;

    public object After { get; } = after;

    public override string ToString() => $"@{{Before={Before}; After={After}}}";
}

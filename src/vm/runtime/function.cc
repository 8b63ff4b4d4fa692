// Function: a handle on a callable, either defined in an instance (its VMFuncRef lives in the
// instance's VMContext) or a host function (its VMFuncRef lives in a HostFunctionContext).
#include "vm/runtime/function.h"

#include "vm/runtime/runtime_access.h"

namespace wasmgrind {

std::unique_ptr<Function> RuntimeAccess::CreateFunction(const FuncType* type, uint32_t type_id,
                                                        const VMFuncRef* func_ref,
                                                        Instance* instance, uint32_t func_index,
                                                        HostFunctionContext* host) {
  std::unique_ptr<Function> f(new Function);
  f->type_ = type;
  f->type_id_ = type_id;
  f->func_ref_ = func_ref;
  f->instance_ = instance;
  f->func_index_ = func_index;
  f->host_ = host;
  return f;
}

const FuncType& Function::type() const { return *type_; }
uint32_t Function::type_id() const { return type_id_; }
const VMFuncRef* Function::func_ref() const { return func_ref_; }
Instance* Function::instance() const { return instance_; }
uint32_t Function::func_index() const { return func_index_; }

}  // namespace wasmgrind
